// `hotline-route serve`: the protocol engine as an HTTP JSON service (issue 14).
import DecisionLog
import ProtocolEngine
