package models

import "gorm.io/gorm"

// createContactsAndMail is migration 50: the points-of-contact directory,
// ping rounds, the mail outbox and each user's language and notices.
func createContactsAndMail(tx *gorm.DB) error {
	return ddl(tx,
		`CREATE TABLE contacts (
			id {{id}},
			state_iso3 TEXT NOT NULL REFERENCES states (iso3),
			kind TEXT NOT NULL,
			function TEXT NOT NULL DEFAULT '',
			organisation TEXT NOT NULL DEFAULT '',
			mailbox TEXT NOT NULL,
			person_name TEXT NOT NULL DEFAULT '',
			phone TEXT NOT NULL DEFAULT '',
			languages TEXT NOT NULL DEFAULT '',
			time_zone TEXT NOT NULL DEFAULT '',
			hours TEXT NOT NULL DEFAULT '',
			confirmed_at {{ts}},
			ping_failed_at {{ts}},
			updated_at {{ts}} NOT NULL,
			updated_by BIGINT NOT NULL DEFAULT 0)`,
		`CREATE INDEX contacts_state_idx ON contacts (state_iso3, kind, id)`,

		`CREATE TABLE ping_rounds (
			id {{id}},
			scope TEXT NOT NULL,
			started_at {{ts}} NOT NULL,
			started_by BIGINT NOT NULL DEFAULT 0,
			expires_at {{ts}} NOT NULL)`,

		// token_hash is the SHA-256 of the link's token: the token itself
		// is only ever in the message.
		`CREATE TABLE ping_targets (
			id {{id}},
			round_id BIGINT NOT NULL REFERENCES ping_rounds (id),
			contact_id BIGINT REFERENCES contacts (id) ON DELETE SET NULL,
			state_iso3 TEXT NOT NULL,
			kind TEXT NOT NULL,
			mailbox TEXT NOT NULL,
			token_hash TEXT NOT NULL UNIQUE,
			sent_at {{ts}} NOT NULL,
			chases INTEGER NOT NULL DEFAULT 0,
			confirmed_at {{ts}})`,
		`CREATE INDEX ping_targets_round_idx ON ping_targets (round_id, state_iso3)`,

		// dedup_key, when set, makes a message once-only (a reminder, a
		// digest); lease_holder and lease_until claim a row for one sender.
		`CREATE TABLE outbox (
			id {{id}},
			created_at {{ts}} NOT NULL,
			kind TEXT NOT NULL,
			to_addr TEXT NOT NULL,
			lang TEXT NOT NULL DEFAULT 'en',
			subject TEXT NOT NULL,
			body TEXT NOT NULL,
			message_id TEXT NOT NULL,
			dedup_key TEXT UNIQUE,
			contact_id BIGINT,
			status TEXT NOT NULL DEFAULT 'pending',
			attempts INTEGER NOT NULL DEFAULT 0,
			next_attempt_at {{ts}} NOT NULL,
			lease_holder TEXT NOT NULL DEFAULT '',
			lease_until {{ts}},
			last_error TEXT NOT NULL DEFAULT '',
			sent_at {{ts}})`,
		`CREATE INDEX outbox_due_idx ON outbox (status, next_attempt_at)`,

		`CREATE TABLE user_prefs (
			user_id BIGINT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
			lang TEXT NOT NULL DEFAULT '',
			notify_off TEXT NOT NULL DEFAULT '')`,

		`ALTER TABLE cycles ADD COLUMN reminder_days TEXT NOT NULL DEFAULT '30,7,1'`,
	)
}
