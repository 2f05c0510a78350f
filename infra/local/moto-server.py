"""moto_server, with DynamoDB requests applied one at a time.

Same arguments as moto_server. moto serves each request on its own thread without isolating them from each other:
TransactWriteItems checks its conditions and writes item by item, and when a condition fails it puts back a copy of
the whole table taken when it began. Two concurrent transactions can then both pass `attribute_not_exists(pk)`, and
a cancelled one can erase what another committed meanwhile. DynamoDB serializes writes to an item, and the product
relies on that for idempotency, so DynamoDB requests are serialized here. Step Functions and Secrets Manager requests
stay concurrent: moto's Step Functions waits for task tokens that other requests send.
"""
import sys
import threading

from moto.moto_server.werkzeug_app import DomainDispatcherApplication
from moto.server import main

_dynamodb = threading.Lock()
_dispatch = DomainDispatcherApplication.__call__


def _call(self, environ, start_response):
    if environ.get("HTTP_X_AMZ_TARGET", "").startswith("DynamoDB_"):
        # Flask handles the whole request before returning, so the lock covers the backend's work.
        with _dynamodb:
            return _dispatch(self, environ, start_response)
    return _dispatch(self, environ, start_response)


DomainDispatcherApplication.__call__ = _call

if __name__ == "__main__":
    main(sys.argv[1:])
