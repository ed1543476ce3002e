"""IB's own Python client (ibapi, the official TWS API; 9.81 offers server versions 100..157)
rehearses against the fake gateway with IB's documented bracket: contract details, history,
a bracket (parent and take-profit transmit=False, stop transmit=True), its statuses, executions
and commission reports, positions, executions, a cancel. One JSON object per finding. Usage: PORT."""

import json
import sys
import threading
import time

from ibapi.client import EClient
from ibapi.contract import Contract
from ibapi.execution import ExecutionFilter
from ibapi.order import Order
from ibapi.wrapper import EWrapper


def out(**kv):
    print(json.dumps(kv, default=str), flush=True)


class App(EWrapper, EClient):
    def __init__(self):
        EClient.__init__(self, self)
        self.next_id = None
        self.details = []
        self.bars = []
        self.status = {}
        self.execs = []
        self.commissions = {}
        self.positions = []
        self.done = set()
        self.errors = []

    def nextValidId(self, orderId):
        self.next_id = orderId

    def error(self, reqId, code, msg):
        self.errors.append([reqId, code, msg])

    def contractDetails(self, reqId, cd):
        self.details.append(cd)

    def contractDetailsEnd(self, reqId):
        self.done.add("details")

    def historicalData(self, reqId, bar):
        self.bars.append(bar)

    def historicalDataEnd(self, reqId, start, end):
        self.done.add("history")

    def orderStatus(self, orderId, status, filled, remaining, avgFillPrice, permId, parentId, lastFillPrice, clientId, whyHeld, mktCapPrice):
        self.status[orderId] = status

    def execDetails(self, reqId, contract, execution):
        self.execs.append([reqId, execution.execId, execution.orderId, execution.time])

    def execDetailsEnd(self, reqId):
        self.done.add("executions")

    def commissionReport(self, report):
        self.commissions[report.execId] = report.commission

    def position(self, account, contract, position, avgCost):
        self.positions.append([contract.conId, position])

    def positionEnd(self):
        self.done.add("positions")


def wait(cond, seconds=10.0):
    end = time.time() + seconds
    while not cond() and time.time() < end:
        time.sleep(0.05)
    return cond()


app = App()
app.connect("127.0.0.1", int(sys.argv[1]), clientId=4)
threading.Thread(target=app.run, daemon=True).start()
wait(lambda: app.next_id is not None)
out(step="connected", serverVersion=app.serverVersion(), nextValidId=app.next_id)

query = Contract()
query.symbol, query.secType, query.exchange, query.currency = "MES", "FUT", "CME", "USD"
app.reqContractDetails(1, query)
wait(lambda: "details" in app.done)
front = app.details[0]
out(step="details", count=len(app.details), expiry=front.contract.lastTradeDateOrContractMonth, lastTradeTime=front.lastTradeTime, conId=front.contract.conId)

contract = Contract()
contract.conId, contract.exchange = front.contract.conId, "CME"
app.reqHistoricalData(2, contract, "", "1 D", "1 min", "TRADES", 0, 1, False, [])
wait(lambda: "history" in app.done)
out(step="history", count=len(app.bars), last=app.bars[-1].date if app.bars else None)
last = app.bars[-1].close


def order(action, kind, qty, price=None, parent=0, transmit=True):
    o = Order()
    o.action, o.orderType, o.totalQuantity, o.parentId, o.transmit = action, kind, qty, parent, transmit
    o.eTradeOnly, o.firmQuoteOnly = False, False  # 9.81 defaults that current gateways refuse
    if app.serverVersion() < 111:
        o.cashQty = 0  # 9.81 refuses its own default (UNSET_DOUBLE is truthy) below server version 111
    if kind == "LMT":
        o.lmtPrice = price
    if kind == "STP":
        o.auxPrice = price
    return o


pid = app.next_id
app.placeOrder(pid, contract, order("BUY", "LMT", 1, last + 50, transmit=False))
app.placeOrder(pid + 1, contract, order("SELL", "LMT", 1, last + 400, parent=pid, transmit=False))
app.placeOrder(pid + 2, contract, order("SELL", "STP", 1, last - 400, parent=pid, transmit=True))
wait(lambda: app.status.get(pid) == "Filled" and len(app.commissions) >= 1, 20)
out(step="filled", status=[app.status.get(pid + i) for i in range(3)], execs=len(app.execs), commission=list(app.commissions.values())[:1])

app.reqPositions()
wait(lambda: "positions" in app.done)
app.reqExecutions(3, ExecutionFilter())
wait(lambda: "executions" in app.done)
out(step="account", positions=app.positions, executions=[e[1] for e in app.execs if e[0] == 3])

app.cancelOrder(pid + 1)
wait(lambda: app.status.get(pid + 1) == "Cancelled")
out(step="cancelled", take=app.status.get(pid + 1), errors=[e for e in app.errors if e[1] not in (2104, 2106, 2107, 2108, 2158, 202)])
app.disconnect()
