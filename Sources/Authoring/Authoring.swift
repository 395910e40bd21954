import ProtocolEngine
import ScenarioKit

/// The instructors' tools over scenarios: deep lint (personal data, reachability,
/// decidability), playtest (exhaustive, random, golden transcripts), graphs, the JSON Schema
/// and protocol-change impact. Everything here drives the player's own state machine and the
/// scorer; nothing models them a second time.
public enum Authoring {}
