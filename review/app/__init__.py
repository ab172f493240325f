"""The Streamlit review UI: ``main.py`` is the entry script, ``views/`` the pages, ``service`` the
logic (no Streamlit), ``launch`` the ``review app`` command."""
