# Shared settings for every unit. Credentials do not appear here: Terragrunt gets them from
# rolemap through --auth-provider-cmd / TG_AUTH_PROVIDER_CMD, per unit.
remote_state {
  backend = "s3"
  config = {
    bucket = "acme-tfstate-${get_aws_account_id()}"
    key    = "${path_relative_to_include()}/terraform.tfstate"
    region = "us-east-1"
  }
}
