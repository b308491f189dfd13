// Containers: volume removal, prunes that take volumes, compose down -v.

export {};
