include "root" {
  path = find_in_parent_folders("root.hcl")
}

terraform {
  source = "../../../../modules/app"
}

dependency "vpc" {
  config_path = "../vpc"
}

# Lives in the shared account. Terragrunt fetches its outputs with the environment that rolemap
# returned for this prod unit; rolemap recognises those credentials as its own and does not
# chain from them into the shared account.
dependency "dns" {
  config_path = "../../../shared/dns"
}

inputs = {
  environment = "prod"
  vpc_id      = dependency.vpc.outputs.vpc_id
  zone_id     = dependency.dns.outputs.zone_id
}
