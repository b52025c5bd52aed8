-- 021_twinning: what a twinning group does once formed — its work plan (milestones),
-- its quarterly progress reports with a self-assessment, the facilitators' comments
-- and evaluations, and the timeline of every change. Same dialect as 001.
-- Rules that look at another table or at the clock (a due date not before the group
-- was formed, a report period not in the future, an owner from one of the group's two
-- municipalities) are checked by src/twinning, which explains itself; the CHECKs here
-- are the last line of defence.

-- A group is hidden from the public until a facilitator publishes it. version counts
-- the saves of the group's form (a stale form is refused, never silently applied).
ALTER TABLE twinning_groups ADD COLUMN published INTEGER NOT NULL DEFAULT 0
	CHECK (published IN (0, 1));
ALTER TABLE twinning_groups ADD COLUMN version INTEGER NOT NULL DEFAULT 1
	CHECK (version >= 1);

-- The work plan: one row per milestone. The title is written once, in lang (the
-- language of whoever wrote it). due is a calendar date, "YYYY-MM-DD". version goes
-- up by one at each save: a form made from an older version is refused (409).
CREATE TABLE group_milestones (
	id INTEGER PRIMARY KEY,
	group_id INTEGER NOT NULL REFERENCES twinning_groups (id) ON DELETE CASCADE,
	title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
	lang TEXT NOT NULL CHECK (lang IN ('ar', 'en', 'fr')),
	owner_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
	due TEXT NOT NULL CHECK (length(due) = 10),
	status TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'in-progress',
		'done', 'blocked')),
	progress INTEGER NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
	version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
	created BIGINT NOT NULL,
	created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
	updated BIGINT NOT NULL,
	updated_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
	CHECK (status <> 'done' OR progress = 100)
);

CREATE INDEX group_milestones_group ON group_milestones (group_id, due);
CREATE INDEX group_milestones_owner ON group_milestones (owner_id);

-- One progress report per group and quarter: period "2026-Q3", covering starts to
-- ends ("YYYY-MM-DD", the quarter's first and last day).
CREATE TABLE group_reports (
	id INTEGER PRIMARY KEY,
	group_id INTEGER NOT NULL REFERENCES twinning_groups (id) ON DELETE CASCADE,
	period TEXT NOT NULL CHECK (length(period) = 7),
	starts TEXT NOT NULL CHECK (length(starts) = 10),
	ends TEXT NOT NULL CHECK (length(ends) = 10),
	lang TEXT NOT NULL CHECK (lang IN ('ar', 'en', 'fr')),
	achievements TEXT NOT NULL,
	challenges TEXT,
	next_steps TEXT NOT NULL,
	author_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
	created BIGINT NOT NULL,
	updated BIGINT NOT NULL,
	updated_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
	version INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
	UNIQUE (group_id, period),
	CHECK (ends >= starts)
);

-- What a group assesses itself on in each report, in the order shown.
CREATE TABLE report_criteria (
	id INTEGER PRIMARY KEY,
	slug TEXT NOT NULL UNIQUE,
	position INTEGER NOT NULL,
	name_ar TEXT NOT NULL,
	name_en TEXT NOT NULL,
	name_fr TEXT NOT NULL,
	hint_ar TEXT NOT NULL,
	hint_en TEXT NOT NULL,
	hint_fr TEXT NOT NULL
);

INSERT INTO report_criteria (slug, position, name_ar, name_en, name_fr, hint_ar, hint_en,
	hint_fr) VALUES
	('ownership', 1, 'الملكية المحلية', 'Ownership', 'Appropriation',
	 'مدى قيادة البلديتين للعمل بنفسيهما',
	 'How far the two municipalities lead the work themselves',
	 'Dans quelle mesure les deux municipalités mènent elles-mêmes le travail'),
	('inclusion', 2, 'الشمول', 'Inclusion', 'Inclusion',
	 'إشراك النساء والشباب والنازحين والقطاع الخاص',
	 'Women, youth, displaced people and the private sector take part',
	 'Les femmes, les jeunes, les personnes déplacées et le secteur privé participent'),
	('economic-results', 3, 'النتائج الاقتصادية', 'Economic results',
	 'Résultats économiques',
	 'فرص عمل أو مشاريع أو إيرادات ناتجة عن العمل',
	 'Jobs, businesses or revenue that come from the work',
	 'Emplois, entreprises ou recettes issus du travail'),
	('cooperation', 4, 'التعاون', 'Cooperation', 'Coopération',
	 'جودة التبادل بين المدينتين',
	 'How well the two cities exchange and learn from each other',
	 'La qualité des échanges et de l''apprentissage entre les deux villes'),
	('sustainability', 5, 'الاستدامة', 'Sustainability', 'Durabilité',
	 'استمرار النتائج بعد انتهاء الدعم',
	 'Whether the results will last once the support ends',
	 'La pérennité des résultats une fois le soutien terminé');

-- A self-assessment: 1 (weak) to 5 (strong) per criterion; a criterion left out was
-- not assessed.
CREATE TABLE report_scores (
	report_id INTEGER NOT NULL REFERENCES group_reports (id) ON DELETE CASCADE,
	criterion_id INTEGER NOT NULL REFERENCES report_criteria (id),
	score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
	PRIMARY KEY (report_id, criterion_id)
);

-- Facilitators' comments on a group (or on one of its reports); with a score (1 to 5)
-- a comment is an evaluation of the group's progress.
CREATE TABLE group_comments (
	id INTEGER PRIMARY KEY,
	group_id INTEGER NOT NULL REFERENCES twinning_groups (id) ON DELETE CASCADE,
	report_id INTEGER REFERENCES group_reports (id) ON DELETE SET NULL,
	body TEXT NOT NULL,
	score INTEGER CHECK (score BETWEEN 1 AND 5),
	author_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
	created BIGINT NOT NULL
);

CREATE INDEX group_comments_group ON group_comments (group_id, created);
CREATE INDEX group_comments_report ON group_comments (report_id);

-- The timeline: one row per change, written in the same transaction as the change.
-- who (NULL: the network team, e.g. the demo or a deleted account), when, what
-- ("milestone.update", ...), on which object (kind and id), label (the milestone's
-- title or the report's period as it was then) and a JSON object of the changed
-- fields {"progress": {"from": 20, "to": 40}}.
CREATE TABLE group_activity (
	id INTEGER PRIMARY KEY,
	group_id INTEGER NOT NULL REFERENCES twinning_groups (id) ON DELETE CASCADE,
	at BIGINT NOT NULL,
	user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
	action TEXT NOT NULL,
	object_kind TEXT NOT NULL,
	object_id BIGINT,
	label TEXT,
	summary TEXT NOT NULL DEFAULT '{}'
);

CREATE INDEX group_activity_group ON group_activity (group_id, at);
CREATE INDEX group_activity_user ON group_activity (user_id);
