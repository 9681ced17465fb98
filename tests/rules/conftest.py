"""Pure rules, tested without the database: nothing here requests ``db``, so pytest-django
refuses any query, and these tests run in milliseconds and pin each rule at its edges."""
