"""Facts of the campaign: categories A–R, the 16 districts and their borders, ID numbers, the
form's column names, statutory retirement ages. No parsing of free text, no I/O beyond packaged tables."""
