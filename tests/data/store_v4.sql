-- A store as brief wrote it before migrations were named (schema 4, PRAGMA user_version):
-- one seed article ingested, extracted and briefed for 2025-12-16 (replayed).
PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE articles (
        id TEXT PRIMARY KEY,
        origin TEXT NOT NULL,
        title TEXT,
        source TEXT,
        url TEXT,
        language TEXT,
        published TEXT,
        date_status TEXT NOT NULL,
        text TEXT NOT NULL,
        removed TEXT NOT NULL,
        ingested_at TEXT NOT NULL
    );
INSERT INTO articles VALUES('8fb28bc996c6584a','seeds/000_2dcf224ea3a6d1b0.md',NULL,'unknown',NULL,'en','2025-12-16','approximate',replace('Kremlin spokesperson Dmitry Peskov said Russia is waiting for the United States to provide information on the results of its discussions with Ukraine and European partners regarding a possible settlement to the conflict in Ukraine.\nSpeaking to reporters in Moscow, Peskov said Washington is expected to brief Moscow once consultations are finalized.\n“As soon as they are ready, our American counterparts will inform us of the results of their work with Ukrainians and Europeans,” he said.\nU.S. and Ukrainian delegations met in Berlin on Dec. 14–15 for talks on the Ukrainian settlement.\nThe discussions lasted approximately five hours on Sunday and two hours on Monday.\nLater that evening, several European leaders, the president of the European Commission and the NATO secretary-general discussed the progress of the talks.\nPeskov said Russia’s position on the presence of foreign military contingents on Ukrainian territory has long been established and remains unchanged.\n“Our position on foreign military contingents on Ukrainian territory is well known. It has been formulated by the president and at other working levels. It is absolutely consistent and clear,” he said, responding to questions about proposals raised in Europe.\nThe comments followed statements by British Prime Minister Keir Starmer, who said a so-called “coalition of the willing” had finalized plans to deploy troops to Ukraine in the event of a ceasefire.\nDespite reiterating Moscow’s long-standing stance, Peskov indicated that the topic is not entirely closed to dialogue.\n“We will not discuss individual provisions or elements of a settlement process through the media,” he said.\n“Our approach to the deployment of foreign military units in Ukraine is well known. However, this issue can be discussed.”\nRussia’s Foreign Ministry has repeatedly stressed that any scenario involving the deployment of NATO troops in Ukraine is categorically unacceptable and carries the risk of serious escalation.\nThe ministry has previously described statements from the U.K. and other European countries about sending alliance troops to Ukraine as encouragement of continued hostilities.\nPeskov also commented on reports that the United States is preparing new sanctions against Russia, saying such measures harm bilateral relations and do not contribute to resolving the conflict.\nHe said Moscow continues to closely follow diplomatic efforts surrounding Ukraine and expects further clarification from Washington as discussions with Kyiv and European partners move forward.','\n',char(10)),'[]','2026-12-02T09:03:57+00:00');
CREATE TABLE sentences (
        article_id TEXT NOT NULL REFERENCES articles(id),
        idx INTEGER NOT NULL,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        PRIMARY KEY (article_id, idx)
    );
INSERT INTO sentences VALUES('8fb28bc996c6584a',1,0,231);
INSERT INTO sentences VALUES('8fb28bc996c6584a',2,232,349);
INSERT INTO sentences VALUES('8fb28bc996c6584a',3,350,488);
INSERT INTO sentences VALUES('8fb28bc996c6584a',4,489,586);
INSERT INTO sentences VALUES('8fb28bc996c6584a',5,587,669);
INSERT INTO sentences VALUES('8fb28bc996c6584a',6,670,824);
INSERT INTO sentences VALUES('8fb28bc996c6584a',7,825,974);
INSERT INTO sentences VALUES('8fb28bc996c6584a',8,975,1058);
INSERT INTO sentences VALUES('8fb28bc996c6584a',9,1059,1127);
INSERT INTO sentences VALUES('8fb28bc996c6584a',10,1128,1234);
INSERT INTO sentences VALUES('8fb28bc996c6584a',11,1235,1432);
INSERT INTO sentences VALUES('8fb28bc996c6584a',12,1433,1551);
INSERT INTO sentences VALUES('8fb28bc996c6584a',13,1552,1659);
INSERT INTO sentences VALUES('8fb28bc996c6584a',14,1660,1743);
INSERT INTO sentences VALUES('8fb28bc996c6584a',15,1744,1782);
INSERT INTO sentences VALUES('8fb28bc996c6584a',16,1783,1975);
INSERT INTO sentences VALUES('8fb28bc996c6584a',17,1976,2151);
INSERT INTO sentences VALUES('8fb28bc996c6584a',18,2152,2345);
INSERT INTO sentences VALUES('8fb28bc996c6584a',19,2346,2538);
CREATE TABLE llm_calls (
        key TEXT PRIMARY KEY,
        model TEXT NOT NULL,
        request TEXT NOT NULL,
        response TEXT NOT NULL,
        prompt_tokens INTEGER NOT NULL,
        completion_tokens INTEGER NOT NULL,
        latency REAL NOT NULL,
        created_at TEXT NOT NULL
    );
CREATE TABLE extractions (
        id INTEGER PRIMARY KEY,
        article_id TEXT NOT NULL REFERENCES articles(id),
        provider TEXT NOT NULL,
        model TEXT NOT NULL,
        prompt_id TEXT NOT NULL,
        schema_hash TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('done', 'failed')),
        error TEXT,
        calls INTEGER NOT NULL,
        prompt_tokens INTEGER NOT NULL,
        completion_tokens INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        UNIQUE (article_id, model, prompt_id, schema_hash)
    );
INSERT INTO extractions VALUES(1,'8fb28bc996c6584a','replay','qwen2.5-coder-1.5b-instruct-q4_k_m','69d229992292','aeab32ca8c40','done',NULL,2,1366,129,'2026-12-02T09:03:58+00:00');
CREATE TABLE positions (
        id INTEGER PRIMARY KEY,
        extraction_id INTEGER NOT NULL REFERENCES extractions(id) ON DELETE CASCADE,
        article_id TEXT NOT NULL REFERENCES articles(id),
        speaker TEXT NOT NULL,
        role TEXT NOT NULL,
        topic TEXT NOT NULL,
        stance TEXT NOT NULL,
        summary TEXT NOT NULL,
        kind TEXT NOT NULL,
        evidence TEXT NOT NULL,
        spans TEXT NOT NULL,
        quotes TEXT NOT NULL,
        valid INTEGER NOT NULL,
        reason TEXT,
        provider TEXT NOT NULL,
        model TEXT NOT NULL,
        prompt_id TEXT NOT NULL,
        schema_hash TEXT NOT NULL
    );
INSERT INTO positions VALUES(1,1,'8fb28bc996c6584a','Dmitry Peskov','Kremlin spokesperson','foreign_troops','neutral','Peskov states Russia is waiting for the US to provide information on the results of its discussions with Ukraine and European partners regarding a possible settlement to the conflict in Ukraine','direct','[1, 2, 3]','[[351, 478]]','["As soon as they are ready, our American counterparts will inform us of the results of their work with Ukrainians and Europeans,"]',1,NULL,'replay','qwen2.5-coder-1.5b-instruct-q4_k_m','69d229992292','aeab32ca8c40');
INSERT INTO positions VALUES(2,1,'8fb28bc996c6584a','Peskov','foreign minister','sanctions','supports','Peskov supports sanctions against Russia, saying such measures harm bilateral relations and do not contribute to resolving the conflict.','reported','[18]','[[2152, 2345]]','["Peskov also commented on reports that the United States is preparing new sanctions against Russia, saying such measures harm bilateral relations and do not contribute to resolving the conflict."]',1,NULL,'replay','qwen2.5-coder-1.5b-instruct-q4_k_m','69d229992292','aeab32ca8c40');
CREATE TABLE briefings (
        id INTEGER PRIMARY KEY,
        date TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        path TEXT,
        created_at TEXT NOT NULL
    , counts TEXT);
INSERT INTO briefings VALUES(1,'2025-12-16','b6f93fc5cbf7649afed455569653f32404fef800b6a3c076e044dd0e537286ba','/tmp/chk-store-base.md','2026-12-02T09:03:58+00:00','{"articles": 1, "needs_review": 0, "positions": 2}');
CREATE TABLE sendings (
        id INTEGER PRIMARY KEY,
        date TEXT NOT NULL,
        briefing_sha256 TEXT NOT NULL,
        recipient TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('sent', 'refused')),
        server_reply TEXT NOT NULL,
        message_id TEXT NOT NULL,
        sent_at TEXT NOT NULL
    );
CREATE TABLE reviews (
        id INTEGER PRIMARY KEY,
        position_id INTEGER,
        article_id TEXT NOT NULL REFERENCES articles(id),
        evidence TEXT NOT NULL,
        speaker TEXT NOT NULL,
        action TEXT NOT NULL
            CHECK (action IN ('approve', 'reject', 'edit', 'import', 'dismiss')),
        changes TEXT NOT NULL,
        reviewer TEXT NOT NULL,
        note TEXT,
        created_at TEXT NOT NULL
    );
CREATE TABLE decisions (
        id INTEGER PRIMARY KEY,
        article_id TEXT NOT NULL REFERENCES articles(id),
        evidence TEXT NOT NULL,
        speaker_key TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'edited')),
        base TEXT NOT NULL,
        edits TEXT NOT NULL,
        edited_by TEXT,
        review_id INTEGER NOT NULL REFERENCES reviews(id),
        dismissed INTEGER NOT NULL DEFAULT 0,
        UNIQUE (article_id, evidence, speaker_key)
    );
CREATE TABLE tracked (
        position_id INTEGER PRIMARY KEY,
        article_id TEXT NOT NULL,
        actor TEXT NOT NULL,
        voice TEXT NOT NULL,
        topic TEXT NOT NULL,
        stance TEXT NOT NULL,
        said TEXT,
        ord TEXT NOT NULL,
        outlet TEXT NOT NULL,
        quotes TEXT NOT NULL,
        statement INTEGER NOT NULL
    );
INSERT INTO tracked VALUES(1,'8fb28bc996c6584a','peskov','kremlin','foreign_troops','neutral','2025-12-16','2025-12-162025-12-16seeds/000_2dcf224ea3a6d1b0.md8fb28bc996c6584a000000000001','unknown','["As soon as they are ready, our American counterparts will inform us of the results of their work with Ukrainians and Europeans,"]',1);
INSERT INTO tracked VALUES(2,'8fb28bc996c6584a','peskov','kremlin','sanctions','supports','2025-12-16','2025-12-162025-12-16seeds/000_2dcf224ea3a6d1b0.md8fb28bc996c6584a000000000002','unknown','["Peskov also commented on reports that the United States is preparing new sanctions against Russia, saying such measures harm bilateral relations and do not contribute to resolving the conflict."]',2);
CREATE TABLE tracked_grams (
        gram INTEGER NOT NULL,
        actor TEXT NOT NULL,
        said TEXT NOT NULL,
        statement INTEGER NOT NULL,
        UNIQUE (statement, gram)
    );
INSERT INTO tracked_grams VALUES(-8557720121491355034,'peskov','2025-12-16',1);
INSERT INTO tracked_grams VALUES(-8184244488264557533,'peskov','2025-12-16',1);
INSERT INTO tracked_grams VALUES(-7983093233830154665,'peskov','2025-12-16',1);
INSERT INTO tracked_grams VALUES(-4648282231557123907,'peskov','2025-12-16',1);
INSERT INTO tracked_grams VALUES(-3900891567335152308,'peskov','2025-12-16',1);
INSERT INTO tracked_grams VALUES(-3858879397116604316,'peskov','2025-12-16',1);
INSERT INTO tracked_grams VALUES(-3241637423805327593,'peskov','2025-12-16',1);
INSERT INTO tracked_grams VALUES(-2002851941933675623,'peskov','2025-12-16',1);
INSERT INTO tracked_grams VALUES(536522152763803075,'peskov','2025-12-16',1);
INSERT INTO tracked_grams VALUES(1381458520740792694,'peskov','2025-12-16',1);
INSERT INTO tracked_grams VALUES(1885270641716576164,'peskov','2025-12-16',1);
INSERT INTO tracked_grams VALUES(3468386719058579175,'peskov','2025-12-16',1);
INSERT INTO tracked_grams VALUES(4185192696585421378,'peskov','2025-12-16',1);
INSERT INTO tracked_grams VALUES(5130243505240018952,'peskov','2025-12-16',1);
INSERT INTO tracked_grams VALUES(6109508427838260507,'peskov','2025-12-16',1);
INSERT INTO tracked_grams VALUES(6631505794435457790,'peskov','2025-12-16',1);
INSERT INTO tracked_grams VALUES(6668669700014367605,'peskov','2025-12-16',1);
INSERT INTO tracked_grams VALUES(7591801645792106672,'peskov','2025-12-16',1);
INSERT INTO tracked_grams VALUES(7831639996755541948,'peskov','2025-12-16',1);
INSERT INTO tracked_grams VALUES(9103169789321087583,'peskov','2025-12-16',1);
INSERT INTO tracked_grams VALUES(-8807659365784039721,'peskov','2025-12-16',2);
INSERT INTO tracked_grams VALUES(-8234605676289901392,'peskov','2025-12-16',2);
INSERT INTO tracked_grams VALUES(-7461105882273940210,'peskov','2025-12-16',2);
INSERT INTO tracked_grams VALUES(-7278262096884157200,'peskov','2025-12-16',2);
INSERT INTO tracked_grams VALUES(-6396797867042308245,'peskov','2025-12-16',2);
INSERT INTO tracked_grams VALUES(-6337386162531561047,'peskov','2025-12-16',2);
INSERT INTO tracked_grams VALUES(-5200380895957330245,'peskov','2025-12-16',2);
INSERT INTO tracked_grams VALUES(-4982678358501794366,'peskov','2025-12-16',2);
INSERT INTO tracked_grams VALUES(-4486087984417415900,'peskov','2025-12-16',2);
INSERT INTO tracked_grams VALUES(-4055866661022521083,'peskov','2025-12-16',2);
INSERT INTO tracked_grams VALUES(-3832000217016859525,'peskov','2025-12-16',2);
INSERT INTO tracked_grams VALUES(-3235824098362788942,'peskov','2025-12-16',2);
INSERT INTO tracked_grams VALUES(-2843725451475660063,'peskov','2025-12-16',2);
INSERT INTO tracked_grams VALUES(-2485606392201996677,'peskov','2025-12-16',2);
INSERT INTO tracked_grams VALUES(-2057793680261534579,'peskov','2025-12-16',2);
INSERT INTO tracked_grams VALUES(-1804266309058033766,'peskov','2025-12-16',2);
INSERT INTO tracked_grams VALUES(-1729624295894115864,'peskov','2025-12-16',2);
INSERT INTO tracked_grams VALUES(2381898420764599262,'peskov','2025-12-16',2);
INSERT INTO tracked_grams VALUES(2495591825623809879,'peskov','2025-12-16',2);
INSERT INTO tracked_grams VALUES(4145870605873190832,'peskov','2025-12-16',2);
INSERT INTO tracked_grams VALUES(4218664843408279009,'peskov','2025-12-16',2);
INSERT INTO tracked_grams VALUES(4749113059729511951,'peskov','2025-12-16',2);
INSERT INTO tracked_grams VALUES(4985228071580664812,'peskov','2025-12-16',2);
INSERT INTO tracked_grams VALUES(5064339343481168993,'peskov','2025-12-16',2);
INSERT INTO tracked_grams VALUES(5979799096994671551,'peskov','2025-12-16',2);
INSERT INTO tracked_grams VALUES(6105536830527067343,'peskov','2025-12-16',2);
INSERT INTO tracked_grams VALUES(7925132921234571207,'peskov','2025-12-16',2);
CREATE TABLE tracked_state (
        article_id TEXT PRIMARY KEY,
        stamp TEXT NOT NULL
    );
INSERT INTO tracked_state VALUES('8fb28bc996c6584a','a6c01f540326:1:None');
CREATE INDEX articles_published ON articles(published);
CREATE INDEX positions_article ON positions(article_id);
CREATE INDEX positions_extraction ON positions(extraction_id);
CREATE INDEX sendings_date_recipient ON sendings(date, recipient);
CREATE INDEX reviews_article ON reviews(article_id);
CREATE INDEX tracked_article ON tracked(article_id);
CREATE INDEX tracked_statement ON tracked(statement);
CREATE INDEX tracked_line ON tracked(voice, topic, said, ord);
CREATE INDEX tracked_actor ON tracked(actor);
CREATE INDEX tracked_grams_lookup ON tracked_grams(gram, actor, said);
COMMIT;
PRAGMA user_version = 4;
