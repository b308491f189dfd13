// Package and repository hosting: npm unpublish, gh repo/release delete.

export {};
