// Records for comparing values across SurrealDB majors: every kind of value both send, record ids of every key kind, an edge.

/** One record holding a value of every kind both majors send, plus record ids of every key kind and an edge. */
export const EVERY_KIND = `
  CREATE kinds:abc CONTENT {
    i: 1, f: 1.0f, f2: 0.1f, fneg0: -0.0f, big: 9223372036854775807, dec: 1.50dec, dec2: 100dec,
    s: 'hello', s_digits: '123', unicode: 'ünïcode ✓ 🦀', b: <bytes>"abc", nul: NULL, arr_none: [NONE, NULL, 1],
    dt: d'2024-05-01T10:00:00.123456789Z', dt0: d'1969-12-31T23:59:59.5Z', dur: 1h30m, dur0: 0ns, durn: 1s500ms,
    u: u'0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', link: user:one, link_num: user:1, link_arr: user:[1, 'a'],
    link_obj: user:{ a: 1, b: 'x' }, link_uuid: user:u'0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
    rng: 1..5, rng2: 1>..=5, idrange: user:1..5, pt: (1.5, 2.5),
    poly: { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] },
    nested: { z: 1, a: { y: [1, 1.0f, '1', 1dec], x: NONE } }, emptyobj: {}, emptyarr: [], t: true,
    content: { Blocks: [{ Text: { text: 'line one\\nline two "quoted" \\\\ back' } }, { Thinking: { text: 't', signature: 'sig' } }] }
  };
  CREATE kinds:1 SET v = 'number key';
  CREATE kinds:⟨1⟩ SET v = 'string key that looks like a number';
  CREATE kinds:[1, 'a'] SET v = 'array key';
  CREATE kinds:{ a: 1 } SET v = 'object key';
  CREATE kinds:u'0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b' SET v = 'uuid key';
  CREATE kinds:⟨did:plc:x⟩ SET v = 'did key';
  RELATE kinds:abc->linked->kinds:1 SET at = d'2024-01-01T00:00:00Z', weight = 0.5f;
`;
