// The JSON examples of the two seed documents, verbatim (generated from
// shared/seeds/*.md). Two are not JSON as printed: the handshake block holds
// two messages with // comments (split here, comments dropped) and the channel
// message has a /* actual message */ placeholder (filled with the seed's
// agent.state.changed example).

export const VIS_SEED_EXAMPLES: Record<string, string> = {
  'handshake': String.raw`{
  "type": "handshake",
  "version": "1.0.0",
  "capabilities": ["binary", "compression", "multiplexing"],
  "clientId": "client-uuid",
  "timestamp": "2024-01-10T12:00:00Z"
}`,
  'handshake_ack': String.raw`{
  "type": "handshake_ack",
  "sessionId": "session-uuid",
  "protocols": ["binary", "json"],
  "heartbeatInterval": 30000,
  "compression": "zlib",
  "serverTime": "2024-01-10T12:00:00Z"
}`,
  'agent.state.changed': String.raw`{
  "id": "msg-123",
  "type": "agent.state.changed",
  "timestamp": "2024-01-10T12:00:00Z",
  "payload": {
    "agentId": "agent-001",
    "previousState": "IDLE",
    "newState": "EXECUTING",
    "reason": "Task assigned",
    "metadata": {
      "taskId": "task-456",
      "estimatedDuration": 5000
    }
  }
}`,
  'agent.performance.update': String.raw`{
  "id": "msg-124",
  "type": "agent.performance.update",
  "timestamp": "2024-01-10T12:00:00Z",
  "payload": {
    "agentId": "agent-001",
    "metrics": {
      "tasksCompleted": 42,
      "successRate": 0.95,
      "averageResponseTime": 234,
      "resourceUtilization": 0.67,
      "communicationEfficiency": 0.89,
      "uptime": 3600000,
      "messageQueueSize": 3,
      "connectionCount": 7,
      "memoryUsage": 104857600
    },
    "trends": {
      "successRateTrend": "improving",
      "responseTrend": "stable",
      "loadTrend": "increasing"
    }
  }
}`,
  'agent.capability.update': String.raw`{
  "id": "msg-125",
  "type": "agent.capability.update",
  "timestamp": "2024-01-10T12:00:00Z",
  "payload": {
    "agentId": "agent-001",
    "action": "add",
    "capability": {
      "name": "advanced_analysis",
      "category": "analysis",
      "level": 4,
      "description": "Advanced data analysis with ML models"
    }
  }
}`,
  'message.sent': String.raw`{
  "id": "msg-126",
  "type": "message.sent",
  "timestamp": "2024-01-10T12:00:00Z",
  "payload": {
    "messageId": "msg-789",
    "from": { "id": "agent-001", "namespace": "research" },
    "to": [{ "id": "agent-002", "namespace": "analysis" }],
    "messageType": "REQUEST",
    "priority": "HIGH",
    "content": {
      "action": "analyze_data",
      "data": { "source": "dataset-123" }
    },
    "expiry": "2024-01-10T12:05:00Z"
  }
}`,
  'message.flow.stats': String.raw`{
  "id": "msg-127",
  "type": "message.flow.stats",
  "timestamp": "2024-01-10T12:00:00Z",
  "payload": {
    "flowId": "agent-001-agent-002",
    "statistics": {
      "messageCount": 156,
      "averageLatency": 45.2,
      "maxLatency": 234,
      "minLatency": 12,
      "successRate": 0.98,
      "bandwidth": 0.75,
      "lastActivity": "2024-01-10T11:59:45Z"
    }
  }
}`,
  'coordination.initiated': String.raw`{
  "id": "msg-128",
  "type": "coordination.initiated",
  "timestamp": "2024-01-10T12:00:00Z",
  "payload": {
    "coordinationId": "coord-123",
    "pattern": "CONSENSUS",
    "initiator": { "id": "agent-001" },
    "participants": [
      { "id": "agent-002", "role": "voter" },
      { "id": "agent-003", "role": "voter" },
      { "id": "agent-004", "role": "observer" }
    ],
    "parameters": {
      "consensusThreshold": 0.66,
      "timeout": 30000,
      "proposal": {
        "type": "resource_allocation",
        "details": { "cpu": 4, "memory": "8GB" }
      }
    }
  }
}`,
  'coordination.progress': String.raw`{
  "id": "msg-129",
  "type": "coordination.progress",
  "timestamp": "2024-01-10T12:00:15Z",
  "payload": {
    "coordinationId": "coord-123",
    "pattern": "CONSENSUS",
    "progress": 0.66,
    "status": "VOTING",
    "votes": {
      "agent-001": { "vote": "approve", "timestamp": "2024-01-10T12:00:10Z" },
      "agent-002": { "vote": "approve", "timestamp": "2024-01-10T12:00:12Z" },
      "agent-003": { "vote": "pending" }
    },
    "estimatedCompletion": "2024-01-10T12:00:30Z"
  }
}`,
  'system.metrics': String.raw`{
  "id": "msg-130",
  "type": "system.metrics",
  "timestamp": "2024-01-10T12:00:00Z",
  "payload": {
    "activeAgents": 42,
    "totalAgents": 50,
    "systemLoad": {
      "cpu": 0.67,
      "memory": 0.45,
      "gpu": 0.23
    },
    "messageMetrics": {
      "rate": 1523.4,
      "queueDepth": 234,
      "averageLatency": 23.5,
      "errorRate": 0.002
    },
    "networkHealth": 0.98,
    "coordinationEfficiency": 0.87,
    "alerts": [
      {
        "level": "warning",
        "message": "High message queue depth detected",
        "component": "message-bus",
        "timestamp": "2024-01-10T11:59:50Z"
      }
    ]
  }
}`,
  'control.execute': String.raw`{
  "id": "msg-131",
  "type": "control.execute",
  "timestamp": "2024-01-10T12:00:00Z",
  "payload": {
    "targetAgent": "agent-001",
    "command": "execute_tool",
    "parameters": {
      "tool": "web_search",
      "query": "latest AI research papers",
      "maxResults": 10
    },
    "timeout": 30000,
    "callback": {
      "type": "webhook",
      "url": "https://api.example.com/callbacks/cmd-131"
    }
  }
}`,
  'control.multi-agent.configure': String.raw`{
  "id": "msg-132",
  "type": "control.multi-agent.configure",
  "timestamp": "2024-01-10T12:00:00Z",
  "payload": {
    "multi-agentId": "multi-agent-001",
    "configuration": {
      "topology": "HIERARCHICAL",
      "coordinationStrategy": "consensus",
      "faultTolerance": {
        "enabled": true,
        "redundancy": 2,
        "heartbeatInterval": 5000
      },
      "performanceTargets": {
        "maxLatency": 100,
        "minThroughput": 1000,
        "targetSuccessRate": 0.99
      }
    }
  }
}`,
  'error': String.raw`{
  "id": "msg-133",
  "type": "error",
  "timestamp": "2024-01-10T12:00:00Z",
  "payload": {
    "code": "AGENT_NOT_FOUND",
    "message": "Agent with ID 'agent-999' not found",
    "details": {
      "requestId": "msg-131",
      "component": "agent-manager",
      "stackTrace": "..."
    },
    "recoverable": true,
    "suggestedAction": "verify_agent_id"
  }
}`,
  'compression.negotiate': String.raw`{
  "type": "compression.negotiate",
  "algorithms": ["gzip", "deflate", "brotli"],
  "preferredLevel": 6
}`,
  'channel.create': String.raw`{
  "type": "channel.create",
  "channelId": "perf-metrics",
  "priority": "high",
  "dedicated": true,
  "bufferSize": 1000
}`,
  'channel': String.raw`{
  "channel": "perf-metrics",
  "sequence": 12345,
  "message": {
    "id": "msg-123",
    "type": "agent.state.changed",
    "timestamp": "2024-01-10T12:00:00Z",
    "payload": {
      "agentId": "agent-001",
      "previousState": "IDLE",
      "newState": "EXECUTING",
      "reason": "Task assigned",
      "metadata": {
        "taskId": "task-456",
        "estimatedDuration": 5000
      }
    }
  }
}`,
  'version.negotiate': String.raw`{
  "type": "version.negotiate",
  "supported": ["1.0", "1.1", "2.0"],
  "preferred": "2.0",
  "features": {
    "1.0": ["basic"],
    "1.1": ["compression", "binary"],
    "2.0": ["multiplexing", "streaming"]
  }
}`,
};

export const CP_SEED_EXAMPLES: Record<string, string> = {
  'command': String.raw`{
  "type": "command",
  "request_id": "123456",
  "timestamp": "2025-02-24T12:34:56Z",
  "payload": {
    "command": "restart",
    "parameters": {
      "delay_seconds": 10
    }
  }
}`,
  'status_update': String.raw`{
  "type": "status_update",
  "timestamp": "2025-02-24T12:35:10Z",
  "payload": {
    "cpu_usage": "30%",
    "memory_usage": "1.5GB"
  }
}`,
  'heartbeat': String.raw`{
  "type": "heartbeat",
  "timestamp": "2025-02-24T12:36:00Z",
  "payload": {}
}`,
  'response': String.raw`{
  "type": "response",
  "request_id": "123456",
  "timestamp": "2025-02-24T12:35:00Z",
  "payload": {
    "status": "success"
  }
}`,
  'error': String.raw`{
  "type": "error",
  "request_id": "123456",
  "timestamp": "2025-02-24T12:35:10Z",
  "payload": {
    "code": "INVALID_COMMAND",
    "message": "The command 'shutdown' is not recognized."
  }
}`,
};
