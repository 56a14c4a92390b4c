"""Template filters shared by every feature's pages: upstream text, money and sizes, times in
the reader's own zone."""
