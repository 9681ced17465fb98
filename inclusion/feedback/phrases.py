"""Words the respondent pages and the results share. Respondent strings carry the context
"respondent": they are translated into all six respondent languages (tests check it)."""

from django.utils.translation import pgettext_lazy

SCALE_VALUES = ("1", "2", "3", "4", "5")
SCALE_LABELS = {
    "1": pgettext_lazy("respondent", "Very bad"),
    "2": pgettext_lazy("respondent", "Bad"),
    "3": pgettext_lazy("respondent", "OK"),
    "4": pgettext_lazy("respondent", "Good"),
    "5": pgettext_lazy("respondent", "Very good"),
}
YES_NO_LABELS = {"yes": pgettext_lazy("respondent", "Yes"), "no": pgettext_lazy("respondent", "No")}
