// The cluster's nodes as the console uses them: `GET /_nodes` read into names by id, and what to show for a node id.
import type { NodesInfoResponse } from '../../shared/ml-types';

export interface ClusterNode {
  id: string;
  /** The node's name; its id when the cluster gave none. */
  name: string;
  roles: string[];
  host?: string;
  version?: string;
}

export interface ClusterNodes {
  byId: ReadonlyMap<string, ClusterNode>;
  /**
   * Every node answered (or the answer does not say): an id missing from `byId` then belongs to a node that has left
   * the cluster. When some nodes did not answer, a missing id may only be a node that is slow to answer.
   */
  complete: boolean;
}

/** Reads `GET /_nodes` as the gateway forwards it (its `filter_path` may leave anything out). */
export function readClusterNodes(response: NodesInfoResponse): ClusterNodes {
  const byId = new Map<string, ClusterNode>();
  const nodes = response.nodes && typeof response.nodes === 'object' ? response.nodes : {};
  for (const [id, info] of Object.entries(nodes)) {
    if (!info || typeof info !== 'object') continue;
    byId.set(id, {
      id,
      name: typeof info.name === 'string' && info.name !== '' ? info.name : id,
      roles: Array.isArray(info.roles) ? info.roles.filter((r): r is string => typeof r === 'string') : [],
      ...(typeof info.host === 'string'
        ? { host: info.host }
        : typeof info.ip === 'string'
          ? { host: info.ip }
          : {}),
      ...(typeof info.version === 'string' ? { version: info.version } : {}),
    });
  }
  const failed = response._nodes?.failed;
  return { byId, complete: !(typeof failed === 'number' && failed > 0) };
}

/** What the console knows of the cluster's nodes right now. */
export type NodeNames =
  /** Not yet known (loading, or the first render, which must match the server's). Ids are shown. */
  | { status: 'pending' }
  /** `_nodes` could not be read: ids are shown, and `reason` says why. */
  | { status: 'unavailable'; reason: string }
  | { status: 'ready'; nodes: ClusterNodes };

/** How one node id is shown. */
export interface NodeLabel {
  id: string;
  /** The node's name when known; otherwise the id. */
  text: string;
  /** True when the text is a name, not the id. */
  named: boolean;
  /** True: in the cluster; false: not in it (left it, or never seen); undefined: not known. */
  inCluster: boolean | undefined;
  /** The sentence a tooltip or title shows. */
  hint: string;
}

export const NOT_IN_CLUSTER = 'not in the cluster';

/**
 * How a stored `worker_node` value shows. Before 2.5 a task on several nodes stored them as one comma-joined string:
 * each of its nodes is named, and it is "not in the cluster" when any of them is not.
 */
export function nodeLabel(names: NodeNames, id: string): NodeLabel {
  const parts = id.includes(',')
    ? id
        .split(',')
        .map((p) => p.trim())
        .filter((p) => p !== '')
    : [];
  if (parts.length < 2) return oneNodeLabel(names, id);
  const labels = parts.map((part) => oneNodeLabel(names, part));
  const absent = labels.filter((l) => l.inCluster === false).map((l) => l.id);
  return {
    id,
    text: labels.map((l) => l.text).join(', '),
    named: labels.some((l) => l.named),
    inCluster: labels.some((l) => l.inCluster === undefined) ? undefined : absent.length === 0,
    hint: `Node IDs ${parts.join(', ')}${absent.length > 0 ? `; not in the cluster now: ${absent.join(', ')}` : ''}${names.status === 'unavailable' ? `. ${names.reason}` : ''}`,
  };
}

function oneNodeLabel(names: NodeNames, id: string): NodeLabel {
  if (names.status === 'pending')
    return { id, text: id, named: false, inCluster: undefined, hint: `Node ID ${id}` };
  if (names.status === 'unavailable') {
    return { id, text: id, named: false, inCluster: undefined, hint: `Node ID ${id}. ${names.reason}` };
  }
  const node = names.nodes.byId.get(id);
  if (node) {
    return { id, text: node.name, named: node.name !== id, inCluster: true, hint: `Node ID ${id}` };
  }
  return {
    id,
    text: id,
    named: false,
    inCluster: false,
    hint: names.nodes.complete
      ? `Node ID ${id}: no node of the cluster has this id now (the node left the cluster or was replaced)`
      : `Node ID ${id}: not listed by the cluster now (some nodes did not answer, so it may still be there)`,
  };
}
