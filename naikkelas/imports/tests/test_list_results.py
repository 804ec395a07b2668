"""The results of the participant and recipient list imports as the views and logs read them."""

from naikkelas.imports.participants import ParticipantImportResult
from naikkelas.imports.recipients import RecipientImportResult
from naikkelas.imports.rows import RowError

ERROR = RowError(3, "NIB", "bad")
ERROR_DICT = {"row": 3, "column": "NIB", "message": ERROR.text()}


def test_participant_result_as_dict():
    result = ParticipantImportResult("peserta.xlsx", rows_read=5, enterprises=2, prospects_new=1,
                                     prospects_known=1, already=1, errors=[ERROR])
    assert (result.written, list(result.as_dict().items())) == (4, [
        ("file", "peserta.xlsx"), ("rows_read", 5), ("enterprises", 2), ("prospects_new", 1),
        ("prospects_known", 1), ("already", 1), ("errors", [ERROR_DICT])])


def test_recipient_result_as_dict():
    result = RecipientImportResult("penerima.csv", rows_read=4, deliveries=3, items=4,
                                   value=9_000_000, overrides=1)
    assert list(result.as_dict().items()) == [
        ("file", "penerima.csv"), ("rows_read", 4), ("deliveries", 3), ("items", 4),
        ("value", 9_000_000), ("overrides", 1), ("errors", [])]
    assert RecipientImportResult("a.xlsx").as_dict()["rows_read"] == 0
