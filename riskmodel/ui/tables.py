"""The tables a person edits on a page (``st.data_editor``), read back as data frames."""

from __future__ import annotations

import pandas as pd


def edited_frame(original: pd.DataFrame, delta: dict | None) -> pd.DataFrame:
    """``original`` with the edits ``st.data_editor`` keeps under its key applied.

    In a form's callback the editor's key holds what changed, not the table:
    ``{"edited_rows": {row: {column: value}}, "added_rows": [{column: value}],
    "deleted_rows": [row, …]}`` (rows by position in ``original``).

    Examples
    --------
    >>> frame = pd.DataFrame({"name": ["a", "b"]})
    >>> edited_frame(frame, {"edited_rows": {0: {"name": "z"}}, "added_rows": [{"name": "c"}],
    ...                      "deleted_rows": [1]})["name"].tolist()
    ['z', 'c']
    """
    frame = original.astype(object).reset_index(drop=True)  # a cell may take text where numbers were
    if not delta:
        return frame
    for row, changes in (delta.get("edited_rows") or {}).items():
        for column, value in changes.items():
            frame.loc[int(row), column] = value
    frame = frame.drop(index=[int(r) for r in delta.get("deleted_rows") or ()])
    added = pd.DataFrame([{c: row.get(c) for c in frame.columns} for row in delta.get("added_rows") or ()],
                         columns=frame.columns)
    return pd.concat([frame, added], ignore_index=True) if len(added) else frame.reset_index(drop=True)
