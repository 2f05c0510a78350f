package io.jumiorisk.check.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FailureReasonTest {

    @Test
    void everyReasonReadsBackFromItsCode() {
        for (FailureReason reason : new FailureReason[]{FailureReason.refused(400, StartStage.UPLOAD),
                FailureReason.refused(404, StartStage.ACCOUNT), FailureReason.refused(401, StartStage.RESUME),
                FailureReason.untrustedUrl(StartStage.FINALIZE), FailureReason.ambiguousAnswers()}) {
            assertThat(FailureReason.parse(reason.code())).isEqualTo(reason);
        }
    }

    @Test
    void theCodesAreTheOnesCallersSee() {
        assertThat(FailureReason.refused(400, StartStage.UPLOAD).code()).isEqualTo("JUMIO_400_UPLOAD");
        assertThat(FailureReason.untrustedUrl(StartStage.UPLOAD).code()).isEqualTo("UNTRUSTED_URL_UPLOAD");
        assertThat(FailureReason.ambiguousAnswers().code()).isEqualTo("AMBIGUOUS_ACCOUNT_ANSWERS");
        assertThat(FailureReason.refused(0, null).code()).isEqualTo("JUMIO_0_START");
    }

    @Test
    void aCodeThisVersionCannotReadIsAnUnknownRefusal() {
        for (String code : new String[]{null, "", "JUMIO_400", "SOMETHING_ELSE", "JUMIO_4000_UPLOAD"}) {
            assertThat(FailureReason.parse(code)).isEqualTo(FailureReason.refused(0, null));
        }
        assertThat(FailureReason.parse("JUMIO_400_LATER")).isEqualTo(FailureReason.refused(400, null));
    }
}
