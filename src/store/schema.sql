-- schema.sql - the evidence store (SQLite).
--
-- One database holds one case. Every record keeps its provenance: the
-- source file (with the file's SHA-256) and the physical line where it
-- starts. Instants are INTEGER UTC seconds; money is INTEGER euro cents.
-- The schema version is PRAGMA user_version (set by store.c, see
-- STORE_SCHEMA_VERSION); bump both when this file changes.

CREATE TABLE source_file (
	id        INTEGER PRIMARY KEY,	-- index in the case model
	path      TEXT NOT NULL UNIQUE,	-- relative to the case folder
	kind      TEXT NOT NULL,	-- case, complaints, timeline, ...
	sha256    TEXT NOT NULL,
	size      INTEGER NOT NULL,
	lines     INTEGER NOT NULL,
	n_read    INTEGER NOT NULL,
	n_accepted INTEGER NOT NULL,
	n_rejected INTEGER NOT NULL,
	n_skipped INTEGER NOT NULL
);

CREATE TABLE case_info (
	id           INTEGER PRIMARY KEY CHECK (id = 1),
	root         TEXT NOT NULL,
	title        TEXT NOT NULL,
	reference    TEXT NOT NULL,
	court        TEXT NOT NULL,
	language     TEXT NOT NULL CHECK (language IN ('fr', 'en')),
	timezone     TEXT NOT NULL,
	period_start INTEGER NOT NULL,
	period_end   INTEGER NOT NULL CHECK (period_end > period_start),
	paper        TEXT NOT NULL CHECK (paper IN ('a4', 'letter')),
	sla_percent  REAL NOT NULL,
	claimant     TEXT NOT NULL,
	defendant    TEXT NOT NULL,
	counsel      TEXT NOT NULL,
	currency     TEXT NOT NULL	-- ISO 4217 code of money amounts
);

CREATE TABLE sla_credit (
	seq    INTEGER PRIMARY KEY,
	below  REAL NOT NULL,		-- availability below this percent...
	credit REAL NOT NULL		-- ...gives this percent of credit
);

CREATE TABLE service (
	seq   INTEGER PRIMARY KEY,
	code  TEXT NOT NULL UNIQUE,	-- id used in the CSV files
	label TEXT NOT NULL
);

CREATE TABLE monitor_map (
	seq          INTEGER PRIMARY KEY,
	service_code TEXT NOT NULL REFERENCES service(code),
	host         TEXT NOT NULL,
	check_name   TEXT		-- NULL: the host check
);

CREATE TABLE exhibit (
	number  INTEGER PRIMARY KEY,	-- Pièce n° N, stable everywhere
	path    TEXT NOT NULL UNIQUE,
	type    TEXT NOT NULL CHECK (type IN ('png', 'jpeg', 'text', 'pdf')),
	title   TEXT NOT NULL,
	date    INTEGER NOT NULL,	-- 0 when unknown
	source  TEXT NOT NULL,
	file_id INTEGER NOT NULL REFERENCES source_file(id),
	width   INTEGER NOT NULL,
	height  INTEGER NOT NULL,
	prov_file INTEGER NOT NULL REFERENCES source_file(id),
	prov_line INTEGER NOT NULL
);

-- The pages of a PDF exhibit: visible box (CropBox within MediaBox, in
-- points, the page's own user space) and /Rotate. A store without this
-- table (written before PDF exhibits) still loads; its PDF exhibits then
-- have no pages.
CREATE TABLE exhibit_page (
	exhibit_number INTEGER NOT NULL REFERENCES exhibit(number),
	page    INTEGER NOT NULL,	-- 1-based
	x0      REAL NOT NULL,
	y0      REAL NOT NULL,
	x1      REAL NOT NULL,
	y1      REAL NOT NULL,
	rotate  INTEGER NOT NULL CHECK (rotate IN (0, 90, 180, 270)),
	PRIMARY KEY (exhibit_number, page)
);

CREATE TABLE complaint (
	seq           INTEGER PRIMARY KEY,	-- order in complaints.csv
	id            TEXT NOT NULL UNIQUE,
	received      INTEGER NOT NULL,
	customer_id   TEXT NOT NULL,
	customer_name TEXT NOT NULL,
	email         TEXT NOT NULL,
	contract      TEXT NOT NULL,
	prepaid_cents INTEGER NOT NULL,		-- -1 when not given
	prepaid_until INTEGER NOT NULL,		-- 0 when not given
	summary       TEXT NOT NULL,
	statement     TEXT NOT NULL,
	prov_file     INTEGER NOT NULL REFERENCES source_file(id),
	prov_line     INTEGER NOT NULL
);
CREATE INDEX complaint_customer ON complaint(customer_id);

CREATE TABLE complaint_service (
	complaint_seq INTEGER NOT NULL REFERENCES complaint(seq),
	position      INTEGER NOT NULL,
	service_code  TEXT NOT NULL REFERENCES service(code),
	PRIMARY KEY (complaint_seq, position)
);

CREATE TABLE complaint_exhibit (
	complaint_seq  INTEGER NOT NULL REFERENCES complaint(seq),
	position       INTEGER NOT NULL,
	exhibit_number INTEGER NOT NULL REFERENCES exhibit(number),
	PRIMARY KEY (complaint_seq, position)
);

CREATE TABLE timeline_event (
	seq       INTEGER PRIMARY KEY,
	at        INTEGER NOT NULL,
	title     TEXT NOT NULL,
	detail    TEXT NOT NULL,
	source    TEXT NOT NULL,
	prov_file INTEGER NOT NULL REFERENCES source_file(id),
	prov_line INTEGER NOT NULL
);

CREATE TABLE timeline_exhibit (
	event_seq      INTEGER NOT NULL REFERENCES timeline_event(seq),
	position       INTEGER NOT NULL,
	exhibit_number INTEGER NOT NULL REFERENCES exhibit(number),
	PRIMARY KEY (event_seq, position)
);

CREATE TABLE outage (
	seq          INTEGER PRIMARY KEY,
	service_code TEXT NOT NULL,
	start        INTEGER NOT NULL,
	end          INTEGER NOT NULL CHECK (end > start),
	cause        TEXT NOT NULL,
	prov_file    INTEGER NOT NULL REFERENCES source_file(id),
	prov_line    INTEGER NOT NULL
);

CREATE TABLE nagios_name (
	id   INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE
);

-- Events in file order (seq); analysis sorts them by time, stable on seq.
CREATE TABLE nagios_event (
	seq       INTEGER PRIMARY KEY,
	at        INTEGER NOT NULL,
	kind      INTEGER NOT NULL,	-- enum nagios_kind (model.h)
	host      INTEGER REFERENCES nagios_name(id),
	check_id  INTEGER REFERENCES nagios_name(id),	-- NULL: host
	state     INTEGER NOT NULL,	-- enum nagios_state
	hard      INTEGER NOT NULL,
	attempt   INTEGER NOT NULL,
	downtime  INTEGER NOT NULL,	-- enum downtime_action
	output    TEXT NOT NULL,
	prov_file INTEGER NOT NULL REFERENCES source_file(id),
	prov_line INTEGER NOT NULL
);

-- What check reported: rejected records and warnings, so a stored import
-- still says what it left out.
CREATE TABLE diagnostic (
	seq      INTEGER PRIMARY KEY,
	severity TEXT NOT NULL,
	file     TEXT NOT NULL,
	line     INTEGER NOT NULL,
	field    TEXT,
	message  TEXT NOT NULL
);
