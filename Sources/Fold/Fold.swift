// The Fold module: the fold runtime. (Being written; see issue 3.)
