"""Back-office HTML views, one module per area: cases, approvals, CSV export and statistics
(``cases``), the 書かない窓口 counter (``counter``), and the public check of issued documents
with the applicant's download (``verify``)."""
