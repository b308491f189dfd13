// HTTP: DELETE requests and destructive GraphQL mutations sent with curl, wget or httpie.

export {};
