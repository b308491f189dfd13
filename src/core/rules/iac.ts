// Infrastructure as code: terraform/tofu destroy, state rm, pulumi destroy, cdk destroy, serverless remove.

export {};
