package models

import (
	"context"
	"database/sql"
	"regexp"
	"strings"

	"gorm.io/gorm"
)

// Page stamps let a server keep rendered pages and know, with one small
// read, whether what they show has changed anywhere, on any instance.
// page_stamps holds a counter per scope: a State's ISO3 code for what
// belongs to that State (its reports, answers, comments, assignments,
// users, contacts, needs), "*" for everything shared (cycles, States,
// offers, organisations, users without a State). Triggers in the database
// bump the counter of the scope a written row belongs to, in the writing
// transaction itself: no write path can forget it, and a page kept under
// a stamp is never served once the stamp has moved.
//
// On PostgreSQL two transactions bumping the same two counters in
// opposite orders could deadlock, and a counter locked at the first write
// would serialise concurrent saves of a State for their whole length. So
// the row triggers only note the scope in a transaction-local setting; a
// deferred trigger bumps the noted counters, in sorted order, at commit.

// GlobalScope is the page stamp scope of what is shared by every page.
const GlobalScope = "*"

// stampedTables maps each table whose rows pages show to the scope of a
// row, as SQL over R (the written row). TestEveryTableStamped checks that
// every table is either here or in unstampedTables.
var stampedTables = []struct{ table, scope string }{
	{"states", "'*'"},
	{"cycles", "'*'"},
	{"users", "R.state_iso3"},
	{"reports", "R.state_iso3"},
	{"answers", "(SELECT state_iso3 FROM reports WHERE id = R.report_id)"},
	{"section_assignments", "(SELECT state_iso3 FROM reports WHERE id = R.report_id)"},
	{"comments", "(SELECT state_iso3 FROM reports WHERE id = R.report_id)"},
	{"contacts", "R.state_iso3"},
	{"needs", "R.state_iso3"},
	{"need_versions", "(SELECT state_iso3 FROM reports WHERE id = R.report_id)"},
	{"need_history", "(SELECT state_iso3 FROM needs WHERE id = R.need_id)"},
	{"matches", "(SELECT state_iso3 FROM needs WHERE id = R.need_id)"},
	{"match_history", "'*'"},
	{"organisations", "'*'"},
	{"offers", "'*'"},
	{"offer_history", "'*'"},
}

// UnstampedTables are the tables no kept page may read: bookkeeping of
// the server itself, read per request or by pages that are never kept.
var UnstampedTables = []string{
	"schema_migrations", "page_stamps", "leases", "signin_attempts", "health_checks", "sessions",
	"audit_log", "compilations", "compilation_chunks", "outbox", "ping_rounds", "ping_targets",
	"user_prefs", "api_tokens",
}

// createPageStamps is migration 70.
func createPageStamps(tx *gorm.DB) error {
	if err := ddl(tx, `CREATE TABLE page_stamps (scope TEXT PRIMARY KEY, n BIGINT NOT NULL)`); err != nil {
		return err
	}
	if tx.Dialector.Name() == DialectPostgres {
		return pageStampTriggersPostgres(tx)
	}
	return pageStampTriggersSQLite(tx)
}

// pageStampTriggersSQLite bumps the counters directly: SQLite has one
// writer at a time, so there is no lock order to keep. An update bumps the
// old row's scope only when the row moved to another (rowMoved).
func pageStampTriggersSQLite(tx *gorm.DB) error {
	bump := func(row, scope, cond string) string {
		return "INSERT INTO page_stamps (scope, n) SELECT COALESCE(NULLIF(" + strings.ReplaceAll(scope, "R.", row+".") +
			", ''), '*'), 1 WHERE " + cond + " ON CONFLICT (scope) DO UPDATE SET n = n + 1;"
	}
	var stmts []string
	for _, t := range stampedTables {
		stmts = append(stmts,
			"CREATE TRIGGER page_stamp_"+t.table+"_i AFTER INSERT ON "+t.table+" BEGIN "+bump("NEW", t.scope, "true")+" END",
			"CREATE TRIGGER page_stamp_"+t.table+"_u AFTER UPDATE ON "+t.table+" BEGIN "+bump("NEW", t.scope, "true")+" "+
				bump("OLD", t.scope, rowMoved(t.scope, "IS NOT"))+" END",
			"CREATE TRIGGER page_stamp_"+t.table+"_d AFTER DELETE ON "+t.table+" BEGIN "+bump("OLD", t.scope, "true")+" END")
	}
	return ddl(tx, stmts...)
}

// rowMoved is the SQL condition under which an updated row's scope may
// have changed: a column the scope is read from changed (differs is the
// null-safe inequality of the dialect).
func rowMoved(scope, differs string) string {
	var conds []string
	for _, col := range scopeColumn.FindAllStringSubmatch(scope, -1) {
		conds = append(conds, "OLD."+col[1]+" "+differs+" NEW."+col[1])
	}
	if len(conds) == 0 {
		return "false"
	}
	return "(" + strings.Join(conds, " OR ") + ")"
}

var scopeColumn = regexp.MustCompile(`R\.([a-z_0-9]+)`)

// pageStampTriggersPostgres notes scopes per row and bumps them at commit.
func pageStampTriggersPostgres(tx *gorm.DB) error {
	stmts := []string{
		`CREATE FUNCTION page_stamp_note(s TEXT) RETURNS void LANGUAGE plpgsql AS $$
		DECLARE cur TEXT := COALESCE(current_setting('natreport.page_stamps', true), '');
		BEGIN
			s := COALESCE(NULLIF(s, ''), '*');
			IF position(',' || s || ',' IN cur) = 0 THEN
				PERFORM set_config('natreport.page_stamps', CASE WHEN cur = '' THEN ',' ELSE cur END || s || ',', true);
			END IF;
		END $$`,
		`CREATE FUNCTION page_stamp_flush() RETURNS trigger LANGUAGE plpgsql AS $$
		DECLARE cur TEXT := COALESCE(current_setting('natreport.page_stamps', true), '');
		BEGIN
			IF cur <> '' THEN
				PERFORM set_config('natreport.page_stamps', '', true);
				INSERT INTO page_stamps (scope, n)
					SELECT s, 1 FROM (SELECT DISTINCT unnest(string_to_array(trim(BOTH ',' FROM cur), ',')) AS s) x ORDER BY s
					ON CONFLICT (scope) DO UPDATE SET n = page_stamps.n + 1;
			END IF;
			RETURN NULL;
		END $$`,
	}
	for _, t := range stampedTables {
		fn := "page_stamp_" + t.table
		stmts = append(stmts,
			`CREATE FUNCTION `+fn+`() RETURNS trigger LANGUAGE plpgsql AS $$
			BEGIN
				IF TG_OP <> 'DELETE' THEN PERFORM page_stamp_note(`+strings.ReplaceAll(t.scope, "R.", "NEW.")+`); END IF;
				IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND `+rowMoved(t.scope, "IS DISTINCT FROM")+`) THEN
					PERFORM page_stamp_note(`+strings.ReplaceAll(t.scope, "R.", "OLD.")+`);
				END IF;
				RETURN NULL;
			END $$`,
			`CREATE TRIGGER `+fn+` AFTER INSERT OR UPDATE OR DELETE ON `+t.table+` FOR EACH ROW EXECUTE FUNCTION `+fn+`()`,
			`CREATE CONSTRAINT TRIGGER `+fn+`_flush AFTER INSERT OR UPDATE OR DELETE ON `+t.table+
				` DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION page_stamp_flush()`)
	}
	return ddl(tx, stmts...)
}

// PageStamp is what a kept page of a State depends on: the counters of
// the State's scope and of the global one.
type PageStamp struct{ State, Global int64 }

// pageStampCols are the two counters of a stamp, for the State given as
// the query's first argument.
const pageStampCols = "COALESCE((SELECT n FROM page_stamps WHERE scope = ?), 0), " +
	"COALESCE((SELECT n FROM page_stamps WHERE scope = '*'), 0)"

const pageStampRead = "SELECT " + pageStampCols

// ReadPageStamp reads the stamp of the pages of State iso3 (one prepared
// statement). Read it before the data a page is drawn from: the page
// then shows at least what the stamp says.
func (db *DB) ReadPageStamp(ctx context.Context, iso3 string) (PageStamp, error) {
	var ps PageStamp
	err := db.hotRows(ctx, pageStampRead, func(rows *sql.Rows) error {
		return rows.Scan(&ps.State, &ps.Global)
	}, iso3)
	return ps, err
}
