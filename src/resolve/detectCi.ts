import { CI_SYSTEMS } from './ciSystems';
import { isTruthy } from './isTruthy';
import type { CiDetection, CiVariableTest, Environment } from './types';

function holds(env: Environment, test: CiVariableTest): boolean {
  const value = env[test.name];
  return test.truthy === true ? isTruthy(value) : value !== undefined && value !== '';
}

/**
 * The CI system rolemap runs in, by the first entry of CI_SYSTEMS whose detection holds, and its
 * build read from that system's variables; undefined outside CI.
 */
export function detectCi(env: Environment): CiDetection | undefined {
  for (const system of CI_SYSTEMS) {
    const group = system.detect.find((tests) => tests.every((test) => holds(env, test)));
    if (group !== undefined) {
      return { system, recognisedBy: group.map((test) => `${test.name}=${env[test.name] ?? ''}`), build: system.read(env) };
    }
  }
  return undefined;
}
