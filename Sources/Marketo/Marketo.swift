// The Marketo module: the writer's Marketo client. (Being written; see issue 4.)
