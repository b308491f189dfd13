// Kubernetes and Helm: namespace, volume and workload deletes, uninstalls.

export {};
