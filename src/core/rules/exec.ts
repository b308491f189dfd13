// Opaque execution: eval of unknown text, downloads piped to a shell, interpreter one-liners that delete.

export {};
