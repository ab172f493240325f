"""Streamlit pages (run by ``st.navigation`` from ``main.py``; never imported)."""
