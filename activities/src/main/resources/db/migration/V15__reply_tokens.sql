-- The opaque token of a sent message's Reply-To address (reply+{token}@{inbound.reply_domain}):
-- random, unique, recorded when the send claims its key, so a reply that lost its In-Reply-To and
-- References still finds its message (and lead) by the address it was sent to. Null: no Reply-To
-- (no reply domain configured, or a send that never went out).
ALTER TABLE messages ADD COLUMN reply_token text;
CREATE UNIQUE INDEX messages_reply_token ON messages (reply_token) WHERE reply_token IS NOT NULL;
