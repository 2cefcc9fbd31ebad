include "root" {
  path = find_in_parent_folders("root.hcl")
}

terraform {
  source = "../../../../modules/app"
}

dependency "vpc" {
  config_path = "../vpc"
}

inputs = {
  environment = "stage"
  vpc_id      = dependency.vpc.outputs.vpc_id
}
