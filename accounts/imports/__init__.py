"""Account lists in and out: reading a CSV or XLSX list into rows for the row validator
(`files`), writing accounts as CSV or XLSX in the columns the reader takes back (`exports`),
and the upload kept between the steps of the upload page (`models`). Import from the modules:
this package imports none of them, so that `accounts.models` can hold the upload's model."""
