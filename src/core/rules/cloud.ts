// Cloud CLIs (aws, gcloud, gsutil, az, doctl): delete, terminate, remove-bucket, recursive rm.

export {};
