"""snipcheck: proves that the commands embedded in the site's pages really run."""
