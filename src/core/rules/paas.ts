// PaaS CLIs (railway, heroku, fly, vercel, netlify, supabase, firebase, wrangler): app, database and volume destruction.

export {};
