import csv
import io

import pytest

from together.exports import csv_response


def read_csv(response):
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+32 2 287 74 12", "'+32 2 287 74 12"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("Amina", "Amina"),
        (None, ""),
        (42, "42"),
    ],
)
def test_csv_cells_that_start_a_formula_are_neutralised(cell, expected):
    response = csv_response("x.csv", ["name"], [[cell]])

    assert read_csv(response) == [["name"], [expected]]


def test_csv_response_is_an_attachment_in_utf8():
    response = csv_response("pledges.csv", ["name"], [["Zoë"]])

    assert response["Content-Disposition"] == 'attachment; filename="pledges.csv"'
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert read_csv(response) == [["name"], ["Zoë"]]
