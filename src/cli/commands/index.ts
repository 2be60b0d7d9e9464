/**
 * The one table of CLI commands. A new command (import, train, predict, cluster, …) is a file
 * in this folder exporting a CliCommand, plus one line here; main.ts needs no change.
 */
import type { CliCommand } from '../command';
import { clusterCommand } from './cluster';
import { demoCommand } from './demo';
import { importCommand } from './import';
import { predictCommand } from './predict';
import { trainCommand } from './train';

export const COMMANDS: readonly CliCommand[] = [
	demoCommand,
	importCommand,
	trainCommand,
	predictCommand,
	clusterCommand
];

export function findCommand(name: string): CliCommand | undefined {
	return COMMANDS.find((c) => c.name === name);
}
