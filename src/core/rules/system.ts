// System: crontab -r, kill -9 -1, stopping databases, shutdown.

export {};
