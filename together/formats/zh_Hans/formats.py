# Django's Simplified Chinese formats group by four without a separator, so
# the pledge counter would read "12345". CLDR's zh-Hans: 12,345.
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
