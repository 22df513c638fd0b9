// The Salesforce module: the writer's Salesforce client. (Being written; see issue 5.)
