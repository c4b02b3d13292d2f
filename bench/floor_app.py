"""The floor for the benchmarks: an empty Streamlit page with one selectbox."""

import streamlit as st

choice = st.selectbox("Nation", ["any", "JPN", "TWN"])
st.write(f"chosen: {choice}")
