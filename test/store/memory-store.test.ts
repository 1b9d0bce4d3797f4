import { MemoryStore } from '../../src/store/memory-store';
import { runKnowledgeContract } from './knowledge-contract';
import { runNoticeContract } from './notice-contract';
import { runStoreContract } from './store-contract';
import { runHandoffContract } from './handoff-contract';
import { runUserContract } from './user-contract';
import { runTicketContract } from './ticket-contract';
import { runUnansweredContract } from './unanswered-contract';

runStoreContract('memory', async () => new MemoryStore());
runUserContract('memory', async () => new MemoryStore());
runHandoffContract('memory', async () => new MemoryStore());
runTicketContract('memory', async () => new MemoryStore());
runKnowledgeContract('memory', async () => new MemoryStore());
runNoticeContract('memory', async () => new MemoryStore());
runUnansweredContract('memory', async () => new MemoryStore());
