"""Writes records through Python supervisor 4.2.5's main logger setup.

Reads {"path", "maxbytes", "backups", "records": [[level, msg], ...]}
as JSON on stdin; writes nothing. options.make_logger builds the same
logger (format, rotating file handler).
"""
import json
import sys

from supervisor import loggers

req = json.load(sys.stdin)
logger = loggers.getLogger(loggers.LevelsByName.BLAT)
loggers.handle_file(logger, req['path'], '%(asctime)s %(levelname)s %(message)s\n',
                    rotating=bool(req['maxbytes']), maxbytes=req['maxbytes'],
                    backups=req['backups'])
for level, msg in req['records']:
    logger.log(level, msg)
logger.close()
