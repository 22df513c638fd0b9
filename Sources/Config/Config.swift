// The Config module: `LeadSyncConfig`, read from a file and the environment. (Being written; see issue 3.)
