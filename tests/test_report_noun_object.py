"""Rule ``report noun object`` (after probe 4; fictional sentences): a report noun's content that a verb
neither of saying nor of making or backing a statement acts on is talked about, not asserted."""
import pytest

from helpers.judges import Context, get
from helpers.proposition import parse

P = parse("Bacteria contaminated the reservoir in Dunholt.")


@pytest.mark.parametrize("text", [
    "Dunholt council calls reservoir contamination claims 'alarmist'",
    "The council is investigating allegations that bacteria contaminated the reservoir.",
    "The utility responded to reports that bacteria had contaminated the reservoir.",
])
def test_report_noun_object_is_other(text):
    j = get().judge(text, P, Context())
    assert (j.label, j.rule) == ("other", "report noun object")


@pytest.mark.parametrize("text, label", [
    ("Campaigners repeated claims that bacteria contaminated the reservoir.", "claim"),
    ("The group made claims that bacteria contaminated the Dunholt reservoir.", "claim"),
    ("Officials confirmed reports that bacteria had contaminated the reservoir.", "claim"),
    ("The council called the contamination claims false.", "denial"),
    ("The council dismissed reports that bacteria contaminated the reservoir.", "denial"),
    ("The paper's reporting, based on the accounts of two staff, said bacteria contaminated the reservoir.", "claim"),
])
def test_report_noun_object_keeps_assertions_and_denials(text, label):
    assert get().judge(text, P, Context()).label == label
