# Django's Arabic formats do not group digits, so the pledge counter would
# read "12345". CLDR's Arabic (Latin digits, as the UN's Arabic pages use
# them): 12,345 and 1.5.
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
