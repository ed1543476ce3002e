"""A third-party TWS API client (ib_async, which offers server versions 157..178) rehearses
against the fake gateway: connect, contract details, history, 5-second bars, a bracket with its
statuses, executions and commission reports, positions and executions, and a cancel.
Prints one JSON object per finding; the calling test asserts on them. Usage: PORT."""

import json
import sys

from ib_async import IB, Future

port = int(sys.argv[1])
ib = IB()


def out(**kv):
    print(json.dumps(kv, default=str), flush=True)


ib.connect("127.0.0.1", port, clientId=5, timeout=15)
out(step="connected", serverVersion=ib.client.serverVersion(), accounts=ib.managedAccounts())

details = ib.reqContractDetails(Future(symbol="MES", exchange="CME", currency="USD"))
front = details[0]
out(step="details", count=len(details), expiry=front.contract.lastTradeDateOrContractMonth, lastTradeTime=front.lastTradeTime, conId=front.contract.conId, localSymbol=front.contract.localSymbol)
contract = front.contract

hist = ib.reqHistoricalData(contract, endDateTime="", durationStr="1 D", barSizeSetting="1 min", whatToShow="TRADES", useRTH=False, formatDate=1)
out(step="history", count=len(hist), first=hist[0].date if hist else None, last=hist[-1].date if hist else None)

bars = ib.reqRealTimeBars(contract, 5, "TRADES", False)
ib.sleep(3)
out(step="realtime", count=len(bars))
last = hist[-1].close if hist else 5000.0

ticker = ib.reqMktData(contract, "", False, False)
ib.sleep(1.5)
out(step="ticks", bid=ticker.bid, ask=ticker.ask, last=ticker.last, marketDataType=ticker.marketDataType)
ib.cancelMktData(contract)

# A buy limit above the market fills at the next open; the children rest until then.
parent, take, stop = ib.bracketOrder("BUY", 1, limitPrice=last + 50, takeProfitPrice=last + 400, stopLossPrice=last - 400)
trades = [ib.placeOrder(contract, o) for o in (parent, take, stop)]
ib.sleep(0.5)
out(step="placed", statuses=[t.orderStatus.status for t in trades], parentIds=[t.order.parentId for t in trades], transmit=[o.transmit for o in (parent, take, stop)])

for _ in range(100):
    if trades[0].orderStatus.status == "Filled" and trades[0].fills and trades[0].fills[0].commissionReport.commission > 0:
        break
    ib.sleep(0.1)
fill = trades[0].fills[0] if trades[0].fills else None
out(step="filled", status=trades[0].orderStatus.status, children=[t.orderStatus.status for t in trades[1:]], execId=fill.execution.execId if fill else None, time=fill.execution.time if fill else None, commission=fill.commissionReport.commission if fill else None)

positions = ib.reqPositions()
execs = ib.reqExecutions()
out(step="account", positions=[[p.contract.conId, p.position] for p in positions], executions=[e.execution.execId for e in execs])

ib.cancelOrder(take.order if hasattr(take, "order") else take)
for _ in range(50):
    if trades[1].orderStatus.status == "Cancelled":
        break
    ib.sleep(0.1)
ib.sleep(0.3)
out(step="cancelled", take=trades[1].orderStatus.status, stop=trades[2].orderStatus.status)
ib.disconnect()
