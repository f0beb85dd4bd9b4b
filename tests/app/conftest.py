"""AppTest set-up.

AppTest resets Streamlit's "pages directory" flag before every run, and with a `pages/` folder
beside `app.py` (the layout this project keeps) it then runs the current page's file alone on
reruns, skipping the entry point's `st.navigation`, sidebar and error boundary. A running
server clears that flag for good at the first `st.navigation` call; this restores the same
behaviour under AppTest.
"""

from __future__ import annotations

import streamlit.testing.v1.app_test as app_test_module
from streamlit.runtime.pages_manager import PagesManager


class _NavigationPagesManager(PagesManager):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        PagesManager.uses_pages_directory = False


app_test_module.PagesManager = _NavigationPagesManager
