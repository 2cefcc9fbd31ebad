include "root" {
  path = find_in_parent_folders("root.hcl")
}

terraform {
  source = "tfr:///terraform-aws-modules/route53/aws//modules/zones?version=3.1.0"
}

inputs = {
  zones = { "acme.example" = {} }
}
