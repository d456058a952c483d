"""Bureau spreadsheets → validated records + rejects: readers (xlsx/csv, encodings, header row
under title lines), cell validation, the importer into the store."""
