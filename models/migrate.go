package models

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// migration is one step of the schema. Steps are frozen once released: they
// write their SQL out in full and never use the live model structs, so that
// a change to a struct cannot change what an old step does. Fixes go in new
// steps at the end of the list.
type migration struct {
	version int
	name    string
	up      func(tx *gorm.DB) error
}

// migrations is the ordered list of schema steps, by ascending version.
// Versions need not be consecutive: each feature area takes versions from
// its own block of ten (10-19 hardening, 20-29 needs and offers, 30-39 gaps
// and the compilation, 40-49 template v2, 50-59 contacts and mail, 60-69
// the API, 70-79 speed), so that work on several areas at once never takes the same
// number. A new area takes the next free block.
var migrations = []migration{
	{1, "create core tables", createCoreTables},
	{2, "load member states", loadStates},
	{3, "users: must change password", func(tx *gorm.DB) error {
		return ddl(tx, `ALTER TABLE users ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT FALSE`)
	}},
	{4, "leases", func(tx *gorm.DB) error {
		return ddl(tx, `CREATE TABLE leases (
			name TEXT PRIMARY KEY,
			holder TEXT NOT NULL,
			until {{ts}} NOT NULL)`)
	}},
	{10, "sign-in attempts", func(tx *gorm.DB) error {
		// Sign-in limits live in the database so that several instances
		// over one PostgreSQL count together.
		return ddl(tx, `CREATE TABLE signin_attempts (
			id {{id}},
			key TEXT NOT NULL,
			at {{ts}} NOT NULL)`,
			`CREATE INDEX signin_attempts_key_idx ON signin_attempts (key, at)`,
			`CREATE INDEX signin_attempts_at_idx ON signin_attempts (at)`)
	}},
	{11, "health checks", func(tx *gorm.DB) error {
		// /healthz writes a row per instance: a real write, so a full disk
		// or a read-only database shows as a failure.
		return ddl(tx, `CREATE TABLE health_checks (
			instance TEXT PRIMARY KEY,
			at {{ts}} NOT NULL)`)
	}},
	{12, "answers: client save id", func(tx *gorm.DB) error {
		// The id the page gives each save, so that a retry of a save that
		// committed is answered as saved instead of as a conflict.
		return ddl(tx, `ALTER TABLE answers ADD COLUMN save_id TEXT NOT NULL DEFAULT ''`)
	}},
	{20, "needs and offers registers, matches, organisations", createNeedsTables},
	{25, "offer history", func(tx *gorm.DB) error {
		return ddl(tx, `CREATE TABLE offer_history (
			id {{id}},
			offer_id BIGINT NOT NULL REFERENCES offers (id),
			at {{ts}} NOT NULL,
			user_id BIGINT NOT NULL DEFAULT 0,
			email TEXT NOT NULL DEFAULT '',
			old_status TEXT NOT NULL DEFAULT '',
			new_status TEXT NOT NULL,
			event TEXT NOT NULL DEFAULT '',
			note TEXT NOT NULL DEFAULT '')`,
			`CREATE INDEX offer_history_offer_idx ON offer_history (offer_id, id)`)
	}},
	{26, "needs as each report version stated them", func(tx *gorm.DB) error {
		return ddl(tx, `CREATE TABLE need_versions (
			need_id BIGINT NOT NULL REFERENCES needs (id),
			report_id BIGINT NOT NULL REFERENCES reports (id),
			area TEXT NOT NULL DEFAULT '',
			norm TEXT NOT NULL DEFAULT '',
			cmm TEXT NOT NULL DEFAULT '',
			type TEXT NOT NULL DEFAULT '',
			priority TEXT NOT NULL DEFAULT '',
			timeframe TEXT NOT NULL DEFAULT '',
			budget TEXT NOT NULL DEFAULT '',
			description TEXT NOT NULL DEFAULT '',
			PRIMARY KEY (need_id, report_id))`,
			`INSERT INTO need_versions (need_id, report_id, area, norm, cmm, type, priority, timeframe, budget, description)
			SELECT id, report_id, area, norm, cmm, type, priority, timeframe, budget, description FROM needs WHERE in_report`)
	}},
	{30, "compilations", createCompilations},
	{50, "points of contact, ping rounds, outbox, notification preferences", createContactsAndMail},
	{60, "api tokens", createAPITokens},
	{70, "page stamps: counters bumped by triggers, for kept pages", createPageStamps},
}

// migrateLockKey is the PostgreSQL advisory lock taken while migrating.
const migrateLockKey = 7_461_727_265

// LatestSchemaVersion is the version Migrate brings the database to.
func LatestSchemaVersion() int { return migrations[len(migrations)-1].version }

// ddl rewrites the two column types that differ between the dialects:
// {{id}} (an auto-increment primary key) and {{ts}} (a UTC timestamp).
func ddl(tx *gorm.DB, stmts ...string) error {
	r := strings.NewReplacer("{{id}}", "INTEGER PRIMARY KEY AUTOINCREMENT", "{{ts}}", "DATETIME")
	if tx.Dialector.Name() == DialectPostgres {
		r = strings.NewReplacer("{{id}}", "BIGSERIAL PRIMARY KEY", "{{ts}}", "TIMESTAMPTZ")
	}
	for _, s := range stmts {
		if err := tx.Exec(r.Replace(s)).Error; err != nil {
			return fmt.Errorf("%w in %q", err, s)
		}
	}
	return nil
}

// Migrate applies the pending migrations in order, each in its own
// transaction together with its row in schema_migrations. Running it again
// does nothing; two processes migrating at once are serialised (an advisory
// lock on PostgreSQL, the immediate write lock on SQLite).
func (db *DB) Migrate(ctx context.Context) error {
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if err := db.lockMigrations(tx); err != nil {
			return err
		}
		return tx.Exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
			version INTEGER PRIMARY KEY,
			name TEXT NOT NULL,
			applied_at ` + db.tsType() + ` NOT NULL)`).Error
	})
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	// A database migrated by a newer release may not fit this one's queries.
	if v, err := db.SchemaVersion(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	} else if v > LatestSchemaVersion() {
		return fmt.Errorf("migrate: the database is at schema version %d, newer than this program's %d", v, LatestSchemaVersion())
	}
	for _, m := range migrations {
		err := db.tx(ctx, func(tx *gorm.DB) error {
			if err := db.lockMigrations(tx); err != nil {
				return err
			}
			var done int64
			if err := tx.Raw("SELECT COUNT(*) FROM schema_migrations WHERE version = ?", m.version).Scan(&done).Error; err != nil {
				return err
			}
			if done > 0 {
				return nil
			}
			if err := m.up(tx); err != nil {
				return err
			}
			db.log.Info("migrated", "version", m.version, "name", m.name)
			return tx.Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
				m.version, m.name, db.Now()).Error
		})
		if err != nil {
			return fmt.Errorf("migration %d (%s): %w", m.version, m.name, err)
		}
	}
	return nil
}

// lockMigrations serialises migrating processes on PostgreSQL until the
// transaction ends; on SQLite the immediate write transaction already does.
func (db *DB) lockMigrations(tx *gorm.DB) error {
	if db.Dialect != DialectPostgres {
		return nil
	}
	return tx.Exec("SELECT pg_advisory_xact_lock(?)", migrateLockKey).Error
}

// SchemaVersion is the highest migration applied, 0 on an empty database.
func (db *DB) SchemaVersion(ctx context.Context) (int, error) {
	var exists int64
	q := "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
	if db.Dialect == DialectPostgres {
		q = "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'schema_migrations'"
	}
	if err := db.read(ctx).Raw(q).Scan(&exists).Error; err != nil {
		return 0, err
	}
	if exists == 0 {
		return 0, nil
	}
	var v int
	err := db.read(ctx).Raw("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&v).Error
	return v, err
}

func (db *DB) tsType() string {
	if db.Dialect == DialectPostgres {
		return "TIMESTAMPTZ"
	}
	return "DATETIME"
}

// createCoreTables is migration 1.
func createCoreTables(tx *gorm.DB) error {
	err := ddl(tx,
		`CREATE TABLE states (
			iso3 TEXT PRIMARY KEY,
			iso2 TEXT NOT NULL,
			m49 TEXT NOT NULL,
			name TEXT NOT NULL,
			regional_group TEXT NOT NULL DEFAULT '',
			group_note TEXT NOT NULL DEFAULT '',
			m49_region TEXT NOT NULL DEFAULT '',
			m49_subregion TEXT NOT NULL DEFAULT '',
			observer BOOLEAN NOT NULL DEFAULT FALSE)`,

		`CREATE TABLE users (
			id {{id}},
			email TEXT NOT NULL UNIQUE,
			name TEXT NOT NULL DEFAULT '',
			role TEXT NOT NULL,
			state_iso3 TEXT REFERENCES states (iso3),
			password_hash TEXT NOT NULL,
			disabled BOOLEAN NOT NULL DEFAULT FALSE,
			created_at {{ts}} NOT NULL,
			password_changed_at {{ts}} NOT NULL)`,
		`CREATE INDEX users_state_idx ON users (state_iso3)`,

		`CREATE TABLE sessions (
			id TEXT PRIMARY KEY,
			user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
			created_at {{ts}} NOT NULL,
			last_seen_at {{ts}} NOT NULL,
			expires_at {{ts}} NOT NULL,
			ip TEXT NOT NULL DEFAULT '',
			user_agent TEXT NOT NULL DEFAULT '')`,
		`CREATE INDEX sessions_user_idx ON sessions (user_id)`,
		`CREATE INDEX sessions_expires_idx ON sessions (expires_at)`,

		`CREATE TABLE cycles (
			id {{id}},
			label TEXT NOT NULL UNIQUE,
			process_name TEXT NOT NULL DEFAULT '',
			opens_on {{ts}} NOT NULL,
			due_on {{ts}} NOT NULL,
			closes_on {{ts}} NOT NULL,
			conference_on {{ts}},
			thematic_priority TEXT NOT NULL DEFAULT '',
			thematic_enabled BOOLEAN NOT NULL DEFAULT FALSE,
			template_version TEXT NOT NULL DEFAULT '',
			created_at {{ts}} NOT NULL)`,

		`CREATE TABLE reports (
			id {{id}},
			state_iso3 TEXT NOT NULL REFERENCES states (iso3),
			cycle_id BIGINT NOT NULL REFERENCES cycles (id),
			version INTEGER NOT NULL,
			status TEXT NOT NULL,
			visibility TEXT NOT NULL DEFAULT 'restricted',
			carried_from_id BIGINT REFERENCES reports (id),
			created_at {{ts}} NOT NULL,
			updated_at {{ts}} NOT NULL,
			submitted_at {{ts}},
			submitted_by BIGINT REFERENCES users (id),
			published_at {{ts}},
			lang TEXT NOT NULL DEFAULT 'en',
			UNIQUE (state_iso3, cycle_id, version))`,
		`CREATE INDEX reports_cycle_idx ON reports (cycle_id, state_iso3, version)`,

		`CREATE TABLE answers (
			report_id BIGINT NOT NULL REFERENCES reports (id),
			question_code TEXT NOT NULL,
			value TEXT NOT NULL,
			version INTEGER NOT NULL,
			carried_from TEXT NOT NULL DEFAULT '',
			updated_by BIGINT NOT NULL DEFAULT 0,
			updated_at {{ts}} NOT NULL,
			PRIMARY KEY (report_id, question_code))`,

		`CREATE TABLE section_assignments (
			report_id BIGINT NOT NULL REFERENCES reports (id),
			section_code TEXT NOT NULL,
			user_id BIGINT NOT NULL REFERENCES users (id),
			assigned_by BIGINT NOT NULL DEFAULT 0,
			assigned_at {{ts}} NOT NULL,
			PRIMARY KEY (report_id, section_code))`,

		`CREATE TABLE comments (
			id {{id}},
			report_id BIGINT NOT NULL REFERENCES reports (id),
			section_code TEXT NOT NULL DEFAULT '',
			user_id BIGINT NOT NULL REFERENCES users (id),
			body TEXT NOT NULL,
			created_at {{ts}} NOT NULL)`,
		`CREATE INDEX comments_report_idx ON comments (report_id, section_code, id)`,

		// user_id is not a foreign key: failed logins have no user, and the
		// log must outlive whatever it records.
		`CREATE TABLE audit_log (
			id {{id}},
			at {{ts}} NOT NULL,
			user_id BIGINT NOT NULL DEFAULT 0,
			email TEXT NOT NULL DEFAULT '',
			ip TEXT NOT NULL DEFAULT '',
			report_id BIGINT REFERENCES reports (id),
			action TEXT NOT NULL,
			question_code TEXT NOT NULL DEFAULT '',
			old_value TEXT NOT NULL DEFAULT '',
			new_value TEXT NOT NULL DEFAULT '',
			detail TEXT NOT NULL DEFAULT '')`,
		`CREATE INDEX audit_log_report_idx ON audit_log (report_id, id)`,
	)
	if err != nil {
		return err
	}
	// The audit log is append-only in the database too, not just in Go.
	if tx.Dialector.Name() == DialectPostgres {
		return ddl(tx,
			`CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
			BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$`,
			`CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
			FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`,
		)
	}
	return ddl(tx,
		`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
		BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`,
		`CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
		BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`,
	)
}

// createNeedsTables is migration 20: the needs register (a record per need
// a State expressed, keyed by State, cycle and where in the report it came
// from, with its own status and history), offers (from reports or recorded
// by donors), proposed matches, and the organisations donors belong to.
func createNeedsTables(tx *gorm.DB) error {
	return ddl(tx,
		`CREATE TABLE organisations (
			id {{id}},
			name TEXT NOT NULL UNIQUE,
			created_at {{ts}} NOT NULL)`,
		`ALTER TABLE users ADD COLUMN organisation_id BIGINT REFERENCES organisations (id)`,

		`CREATE TABLE needs (
			id {{id}},
			state_iso3 TEXT NOT NULL REFERENCES states (iso3),
			cycle_id BIGINT NOT NULL REFERENCES cycles (id),
			source_key TEXT NOT NULL,
			question_code TEXT NOT NULL,
			report_id BIGINT NOT NULL REFERENCES reports (id),
			area TEXT NOT NULL DEFAULT '',
			norm TEXT NOT NULL DEFAULT '',
			cmm TEXT NOT NULL DEFAULT '',
			type TEXT NOT NULL DEFAULT '',
			priority TEXT NOT NULL DEFAULT '',
			timeframe TEXT NOT NULL DEFAULT '',
			budget TEXT NOT NULL DEFAULT '',
			description TEXT NOT NULL DEFAULT '',
			status TEXT NOT NULL,
			in_report BOOLEAN NOT NULL DEFAULT TRUE,
			carried_from_id BIGINT REFERENCES needs (id),
			confirmed BOOLEAN NOT NULL DEFAULT TRUE,
			created_at {{ts}} NOT NULL,
			updated_at {{ts}} NOT NULL,
			UNIQUE (state_iso3, cycle_id, source_key))`,
		`CREATE INDEX needs_cycle_idx ON needs (cycle_id, status)`,
		`CREATE INDEX needs_carried_idx ON needs (carried_from_id)`,

		`CREATE TABLE need_history (
			id {{id}},
			need_id BIGINT NOT NULL REFERENCES needs (id),
			at {{ts}} NOT NULL,
			user_id BIGINT NOT NULL DEFAULT 0,
			email TEXT NOT NULL DEFAULT '',
			old_status TEXT NOT NULL DEFAULT '',
			new_status TEXT NOT NULL,
			event TEXT NOT NULL DEFAULT '',
			note TEXT NOT NULL DEFAULT '')`,
		`CREATE INDEX need_history_need_idx ON need_history (need_id, id)`,

		`CREATE TABLE offers (
			id {{id}},
			state_iso3 TEXT REFERENCES states (iso3),
			cycle_id BIGINT REFERENCES cycles (id),
			report_id BIGINT REFERENCES reports (id),
			source_key TEXT NOT NULL DEFAULT '',
			organisation_id BIGINT REFERENCES organisations (id),
			provider TEXT NOT NULL,
			areas TEXT NOT NULL DEFAULT '',
			types TEXT NOT NULL DEFAULT '',
			regions TEXT NOT NULL DEFAULT '',
			states_served TEXT NOT NULL DEFAULT '',
			modality TEXT NOT NULL DEFAULT '',
			period TEXT NOT NULL DEFAULT '',
			contact TEXT NOT NULL DEFAULT '',
			description TEXT NOT NULL DEFAULT '',
			active BOOLEAN NOT NULL DEFAULT TRUE,
			created_by BIGINT NOT NULL DEFAULT 0,
			created_at {{ts}} NOT NULL,
			updated_at {{ts}} NOT NULL,
			UNIQUE (state_iso3, cycle_id, source_key))`,
		`CREATE INDEX offers_org_idx ON offers (organisation_id)`,

		`CREATE TABLE matches (
			id {{id}},
			need_id BIGINT NOT NULL REFERENCES needs (id),
			offer_id BIGINT NOT NULL REFERENCES offers (id),
			status TEXT NOT NULL,
			proposed_by BIGINT NOT NULL REFERENCES users (id),
			message TEXT NOT NULL DEFAULT '',
			created_at {{ts}} NOT NULL,
			updated_at {{ts}} NOT NULL,
			UNIQUE (need_id, offer_id))`,
		`CREATE INDEX matches_offer_idx ON matches (offer_id)`,

		`CREATE TABLE match_history (
			id {{id}},
			match_id BIGINT NOT NULL REFERENCES matches (id),
			at {{ts}} NOT NULL,
			user_id BIGINT NOT NULL DEFAULT 0,
			email TEXT NOT NULL DEFAULT '',
			old_status TEXT NOT NULL DEFAULT '',
			new_status TEXT NOT NULL,
			event TEXT NOT NULL DEFAULT '',
			note TEXT NOT NULL DEFAULT '')`,
		`CREATE INDEX match_history_match_idx ON match_history (match_id, id)`,
	)
}
