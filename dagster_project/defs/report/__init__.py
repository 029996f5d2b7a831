"""The rendered monthly report."""
