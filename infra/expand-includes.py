"""Writes a CloudFormation template with its local AWS::Include transforms expanded, as JSON.

usage: expand-includes.py TEMPLATE OUT

cfn-lint leaves an Fn::Transform of AWS::Include unresolved, so on template.yaml alone it never sees the HTTP API's
definition (infra/openapi.yaml). CloudFormation expands such includes before the SAM transform and before any
intrinsic function; this does the same for the includes whose Location is a file next to the template, so that
infra/lint.sh can run cfn-lint (and SAM's translator inside it) on what CloudFormation will really process.

An included file is read as CloudFormation reads a snippet: plain YAML (or JSON) without the short-form tags (!Sub,
!If ...), which AWS::Include does not take; a file that uses them is refused here.
"""

import json
import sys
from pathlib import Path

import yaml
from cfnlint.decode import decode


def expand(node, base, seen):
    if isinstance(node, dict):
        transform = node.get("Fn::Transform")
        if len(node) == 1 and isinstance(transform, dict) and transform.get("Name") == "AWS::Include":
            location = transform.get("Parameters", {}).get("Location")
            if isinstance(location, str) and not location.startswith("s3://"):
                return include(base / location, seen)
        return {key: expand(value, base, seen) for key, value in node.items()}
    if isinstance(node, list):
        return [expand(value, base, seen) for value in node]
    return node


def include(path, seen):
    if not path.is_file():
        sys.exit(f"expand-includes: AWS::Include names {path}, which is not a file")
    try:
        snippet = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as e:
        sys.exit(f"expand-includes: {path} is not plain YAML (AWS::Include takes no short-form tags): {e}")
    if not isinstance(snippet, dict):
        sys.exit(f"expand-includes: {path} must hold a mapping")
    seen.append(path)
    return snippet


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.strip().splitlines()[2])
    template_path, out = Path(sys.argv[1]), Path(sys.argv[2])
    template, matches = decode(str(template_path))
    if matches:
        sys.exit("expand-includes: cannot read {}: {}".format(template_path, "; ".join(str(m) for m in matches)))
    seen = []
    expanded = expand(template, template_path.parent, seen)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(expanded, indent=1, default=str), encoding="utf-8")
    print("; ".join(str(p) for p in seen))


if __name__ == "__main__":
    main()
